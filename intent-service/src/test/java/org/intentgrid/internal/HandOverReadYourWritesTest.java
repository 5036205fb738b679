package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.OpHandle;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Read your writes across a graceful leave. Two in-memory members: {@code leaver} owns the key, {@code stayer} holds
 * a replica of it, and a worker there pushed +1, which a sync round took as a delta to the leaver. The leaver then
 * leaves and hands its main copy to the stayer while that delta is still on its way, so the adopted value lacks it if
 * the delta missed the leaver, or holds it if the leaver merged it first (and its answer comes late). Either way the
 * worker's next read waits until the delta's answer arrived and then sees its push exactly once, also after the
 * leaver is gone from the cluster. Before, the read saw the adopted value at once, without the push if the delta had
 * missed; and a merged delta whose answer came after the leaver had said it left was kept to be sent again once the
 * leaver was gone, so the push counted twice.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandOverReadYourWritesTest
{
    private static final TableSpec SPEC = TableSpec.of("hand-over", 1000, 4).init(Init.uniform(-1, 1, 5));
    private static final GridConfig CONFIG = GridConfig.embedded().mode(Mode.REPLICATION_ONLY)
        .requestTimeoutMillis(5000);
    private static final long KEY = 17;
    private static final long[] KEYS = {KEY};

    private final InMemoryCluster cluster = new InMemoryCluster(4);
    private final MemberRuntime leaver = cluster.addMember(CONFIG);
    private final MemberRuntime stayer = cluster.addMember(CONFIG);

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aDeltaThatMissesTheLeaverIsSeenByTheNextReadOfTheAdoptedKey()
    {
        final CompletableFuture<SyncBatchReply[]> answer = new CompletableFuture<>();
        final float[] pushed = pushWhileTheDeltaIsHeld(batches -> answer);
        final WorkerEngine worker = stayer.newWorker();

        assertEquals(1, leaver.leave(5000), "the leaver handed its main copy to the stayer");
        final float[] read = new float[SPEC.valueLength()];
        final OpHandle pull = worker.pull(worker.store(SPEC), KEYS, read, null, 1);
        assertFalse(pull.isDone(), "the adopted value lacks the worker's push until the delta's answer came");

        answer.completeExceptionally(new IllegalStateException("the delta reached the leaver after it handed over"));
        pull.await();
        assertArrayEquals(pushed, read, "the worker reads its own push, merged into the adopted main copy");
        assertExactlyOnceAfterTheLeaverIsGone(pushed);
    }

    @Test
    void aDeltaTheLeaverMergedBeforeItHandedOverCountsOnce()
    {
        final AtomicReference<SyncBatchReply[]> served = new AtomicReference<>();
        final CompletableFuture<SyncBatchReply[]> answer = new CompletableFuture<>();
        final float[] pushed = pushWhileTheDeltaIsHeld(batches ->
        {
            served.set(leaver.serveSync(0, batches, stayer.self(), Long.MAX_VALUE - 1));
            return answer;
        });
        final WorkerEngine worker = stayer.newWorker();

        assertEquals(1, leaver.leave(5000), "the leaver handed its main copy, delta merged, to the stayer");
        final float[] read = new float[SPEC.valueLength()];
        final OpHandle pull = worker.pull(worker.store(SPEC), KEYS, read, null, 1);
        assertFalse(pull.isDone(), "whether the adopted value holds the push is known from the delta's answer only");

        answer.complete(served.get());
        pull.await();
        assertArrayEquals(pushed, read, "the push, once");
        assertEquals(0, stayer.backupStats().updatesUnconfirmed(),
            "nothing is kept to be sent again for a member that left, whose hand-over holds the delta");
        assertExactlyOnceAfterTheLeaverIsGone(pushed);
    }

    /**
     * The stayer sets up a replica of the leaver's key and pushes +1 to it; the sync message that carries the push as
     * a delta is held: {@code intercept} serves it or not and gives the answer to use, which the test completes.
     *
     * @return the key's value with the push
     */
    private float[] pushWhileTheDeltaIsHeld(
        final Function<SyncBatch[], CompletableFuture<SyncBatchReply[]>> intercept)
    {
        cluster.homesAt(leaver);
        final WorkerEngine atLeaver = leaver.newWorker();
        final float[] initial = new float[SPEC.valueLength()];
        atLeaver.pull(atLeaver.store(SPEC), KEYS, initial, null, 1).await();
        final WorkerEngine worker = stayer.newWorker();
        final TableStore store = worker.store(SPEC);
        worker.intent(store, KEYS, 1, 0, 1_000_000);
        cluster.await(() -> stayer.table(SPEC).localState(KEY) == SlotState.REPLICA, "the stayer holds a replica");

        final AtomicBoolean held = new AtomicBoolean();
        cluster.interceptor((message, from, to, payload) ->
        {
            if (message.equals("sync") && from.equals(stayer.self()) && carriesDelta((SyncBatch[])payload) &&
                held.compareAndSet(false, true))
            {
                return intercept.apply((SyncBatch[])payload);
            }
            return null;
        });
        final float[] one = new float[SPEC.valueLength()];
        Arrays.fill(one, 1f);
        worker.push(store, KEYS, 1, one).await();
        cluster.await(held::get, "a round took the push as a delta to the leaver");
        cluster.homesAt(stayer);

        final float[] pushed = initial.clone();
        for (int e = 0; e < pushed.length; e++)
        {
            pushed[e] += 1f;
        }
        return pushed;
    }

    private void assertExactlyOnceAfterTheLeaverIsGone(final float[] pushed)
    {
        cluster.crash(leaver.self());
        stayer.syncManager().waitSync();
        final WorkerEngine reader = stayer.newWorker();
        final float[] read = new float[SPEC.valueLength()];
        reader.pull(reader.store(SPEC), KEYS, read, null, 1).await();
        assertArrayEquals(pushed, read, "the push counted once after the leaver left the cluster");
        assertEquals(SlotState.MAIN, stayer.table(SPEC).localState(KEY), "the stayer owns the key");
    }

    private static boolean carriesDelta(final SyncBatch[] batches)
    {
        for (final SyncBatch batch : batches)
        {
            for (int i = 0; i < batch.keys.length; i++)
            {
                if (batch.keys[i] == KEY && (batch.flags[i] & SyncBatch.DELTA) != 0)
                {
                    return true;
                }
            }
        }
        return false;
    }
}
