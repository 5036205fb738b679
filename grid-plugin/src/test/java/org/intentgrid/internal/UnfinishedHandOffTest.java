package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A member whose hand-over did not finish leaves as if it crashed: it does not tell the others that it left, so
 * they keep the updates it answered and has not confirmed backed up, and send them again to whoever recovers its keys.
 * Two in-memory members: {@code leaver} owns the key and flushes its backups once a minute, {@code stayer} holds them
 * and pushes +1 to the key; the stayer refuses every adoption, so the leaver leaves still holding the key.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnfinishedHandOffTest
{
    private static final TableSpec SPEC = TableSpec.of("unfinished-hand-off", 1000, 4).init(Init.uniform(-1, 1, 5));
    private static final long KEY = 17;
    private static final long[] KEYS = {KEY};

    private final InMemoryCluster cluster = new InMemoryCluster(4);
    private final MemberRuntime leaver = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000)
        .backupFlushMillis(60_000));
    private final MemberRuntime stayer = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000));

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void anUpdateTheLeaverHadNotBackedUpIsSentAgainWhenItLeavesWithItsKeys()
    {
        cluster.homesAt(leaver);
        final WorkerEngine atLeaver = leaver.newWorker();
        final float[] initial = new float[SPEC.valueLength()];
        atLeaver.pull(atLeaver.store(SPEC), KEYS, initial, null, 1).await();
        leaver.flushBackup();
        final WorkerEngine atStayer = stayer.newWorker();
        final float[] one = new float[SPEC.valueLength()];
        Arrays.fill(one, 1f);
        atStayer.push(atStayer.store(SPEC), KEYS, 1, one).await();
        assertEquals(1, stayer.backupStats().updatesUnconfirmed(), "the leaver has not backed the push up");

        cluster.interceptor((message, from, to, payload) -> message.equals("direct adopt") ?
            CompletableFuture.failedFuture(new IllegalStateException("adoption refused by the test")) : null);
        assertEquals(0, leaver.leave(1000), "no member took the leaver's main copy");
        assertEquals(1, stayer.backupStats().updatesUnconfirmed(), "the stayer keeps the push: the key did not move");

        cluster.interceptor((message, from, to, payload) -> null);
        cluster.homesAt(stayer);
        cluster.crash(leaver.self());
        cluster.await(() -> stayer.backupStats().updatesResent() == 1, "the stayer sent its push again");
        final float[] read = new float[SPEC.valueLength()];
        atStayer.pull(atStayer.store(SPEC), KEYS, read, null, 1).await();
        final float[] pushed = initial.clone();
        for (int e = 0; e < pushed.length; e++)
        {
            pushed[e] += 1f;
        }
        assertArrayEquals(pushed, read, "the push, sent again to the recovered key, once");
    }
}
