package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A remote push that a member acknowledges before its first backup flush survives the member's crash: the answer
 * names the flush that will carry it, so the requester keeps the update and sends it again. (Before, a member
 * named no flush until its first flush had found a holder, and its requesters kept nothing during that interval.)
 * <p>
 * Two in-memory members: {@code a} flushes once a minute (so its first flush never runs here) and is the keys'
 * home until it crashes; {@code b} pushes to a key a holds, then becomes the home and recovers a.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FirstFlushWindowTest
{
    private static final TableSpec SPEC = TableSpec.of("firstflush", 1000, 4).init(Init.uniform(-1, 1, 7));
    private static final int PARTITIONS = 4;
    private static final long KEY = 23;
    private static final float AMOUNT = 3f;

    private final InMemoryCluster cluster = new InMemoryCluster(PARTITIONS);

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aPushAcknowledgedBeforeTheOwnersFirstFlushIsKeptAndSurvivesItsCrash()
    {
        final MemberRuntime a = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000)
            .backupFlushMillis(60_000));
        final MemberRuntime b = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000));
        partitionsTo(a);
        final WorkerEngine atA = a.newWorker();
        final float[] expected = new float[SPEC.valueLength()];
        atA.pull(atA.store(SPEC), new long[] {KEY}, expected, null, 1).await();

        final WorkerEngine atB = b.newWorker();
        final float[] update = new float[SPEC.valueLength()];
        Arrays.fill(update, AMOUNT);
        atB.push(atB.store(SPEC), new long[] {KEY}, update).await();
        for (int e = 0; e < expected.length; e++)
        {
            expected[e] += AMOUNT;
        }
        assertEquals(0, a.backupStats().flushes(), "a has not flushed yet");
        assertEquals(1, b.backupStats().updatesUnconfirmed(), "b keeps the push until a's backup has it");

        partitionsTo(b);
        cluster.crash(a.self());
        final float[] now = new float[SPEC.valueLength()];
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        do
        {
            atB.pull(atB.store(SPEC), new long[] {KEY}, now, null, 1).await();
        }
        while (!Arrays.equals(expected, now) && System.nanoTime() < deadline);
        assertArrayEquals(expected, now, 1e-6f, () -> "the push survived a's crash; traffic: " + cluster.traffic());
        assertEquals(1, b.backupStats().updatesResent(), "b sent the push again");
    }

    private void partitionsTo(final MemberRuntime home)
    {
        for (int p = 0; p < PARTITIONS; p++)
        {
            cluster.partitionOwner(p, home.self());
        }
    }
}
