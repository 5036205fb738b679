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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A replica's delta on its way to an owner that leaves or crashes, while the owner's main copy comes to the replica's
 * own member: the push it carries is seen by that member's next read and counts exactly once. Two in-memory members:
 * {@code owner} owns the key, {@code holder} holds a replica of it (and, being the only other member, the owner's
 * backups); a worker on the holder pushed +1, a sync round took it as a delta, and the test holds that message.
 * <ul>
 * <li>The owner leaves and hands its main copy to the holder: the adopted value lacks the delta if it missed the
 * owner, or holds it if the owner merged it first and its answer comes late. The worker's next read waits for the
 * delta's answer either way (before: it read the adopted value at once, without the push if the delta had missed),
 * and a late answer keeps nothing to be sent again (before: sent again once the owner was gone, counted twice).</li>
 * <li>The owner crashes and the holder recovers the key from its backup, which holds the delta if the owner merged it
 * before its last flush; the message then fails. The worker's next read waits for that (before: it read the recovered
 * value at once, without the push if the owner had not merged it), and the holder merges the delta into the recovered
 * copy unless the lost owner's fingerprints say it was applied (before: it merged it again, counted twice).</li>
 * </ul>
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeltaToDepartingOwnerTest
{
    private static final TableSpec SPEC = TableSpec.of("departing-owner", 1000, 4).init(Init.uniform(-1, 1, 5));
    private static final GridConfig CONFIG = GridConfig.embedded().mode(Mode.REPLICATION_ONLY)
        .requestTimeoutMillis(5000).backupFlushMillis(60_000);
    private static final long KEY = 17;
    private static final long[] KEYS = {KEY};
    private static final String CRASHED = "the owner crashed before it answered";

    private final InMemoryCluster cluster = new InMemoryCluster(4);
    private final MemberRuntime owner = cluster.addMember(CONFIG);
    private final MemberRuntime holder = cluster.addMember(CONFIG);

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aDeltaThatMissesALeavingOwnerIsSeenByTheNextReadOfTheAdoptedKey()
    {
        final CompletableFuture<SyncBatchReply[]> answer = new CompletableFuture<>();
        final float[] pushed = pushWhileTheDeltaIsHeld(message -> answer);

        final Runnable missed = fails(answer, "the delta reached the owner after it handed over");
        assertArrayEquals(pushed, readOnce(this::pullAfterTheOwnerLeft, missed),
            "the worker reads its own push, merged into the adopted main copy");
        assertExactlyOnceAfterTheOwnerIsGone(pushed);
    }

    @Test
    void aDeltaALeavingOwnerMergedBeforeItHandedOverCountsOnce()
    {
        final AtomicReference<SyncBatchReply[]> served = new AtomicReference<>();
        final CompletableFuture<SyncBatchReply[]> answer = new CompletableFuture<>();
        final float[] pushed = pushWhileTheDeltaIsHeld(message ->
        {
            served.set(message.serveAt(owner, holder.self()));
            return answer;
        });

        assertArrayEquals(pushed, readOnce(this::pullAfterTheOwnerLeft, () -> answer.complete(served.get())),
            "the push, once");
        assertEquals(0, holder.backupStats().updatesUnconfirmed(),
            "nothing is kept to be sent again for a member that left, whose hand-over holds the delta");
        assertExactlyOnceAfterTheOwnerIsGone(pushed);
    }

    @Test
    void aDeltaACrashedOwnerMergedAndBackedUpCountsOnce()
    {
        final CompletableFuture<SyncBatchReply[]> answer = new CompletableFuture<>();
        final float[] pushed = pushWhileTheDeltaIsHeld(message ->
        {
            message.serveAt(owner, holder.self());
            return answer;
        });

        assertArrayEquals(pushed, readOnce(this::pullAfterTheRecovery, fails(answer, CRASHED)),
            "the push, once: the recovered copy holds it");
    }

    @Test
    void aDeltaACrashedOwnerNeverSawCountsOnce()
    {
        final CompletableFuture<SyncBatchReply[]> answer = new CompletableFuture<>();
        final float[] pushed = pushWhileTheDeltaIsHeld(message -> answer);

        assertArrayEquals(pushed, readOnce(this::pullAfterTheRecovery, fails(answer, CRASHED)),
            "the worker reads its own push, merged into the recovered copy");
    }

    /**
     * The holder sets up a replica of the owner's key and pushes +1 to it; the sync message that carries the push as a
     * delta is held: {@code intercept} serves it at the owner or not and gives the answer to use, which the test
     * completes. The holder becomes the key's home.
     *
     * @return the key's value with the push
     */
    private float[] pushWhileTheDeltaIsHeld(
        final Function<InMemoryCluster.SyncMessage, CompletableFuture<SyncBatchReply[]>> intercept)
    {
        cluster.homesAt(owner);
        final WorkerEngine atOwner = owner.newWorker();
        final float[] initial = new float[SPEC.valueLength()];
        atOwner.pull(atOwner.store(SPEC), KEYS, initial, null, 1).await();
        final WorkerEngine worker = holder.newWorker();
        final TableStore store = worker.store(SPEC);
        worker.intent(store, KEYS, 1, 0, 1_000_000);
        cluster.await(() -> holder.table(SPEC).localState(KEY) == SlotState.REPLICA, "the holder has a replica");

        final BooleanSupplier held = cluster.takeFirstSync(holder.self(), KEY, SyncBatch.DELTA, intercept);
        final float[] one = new float[SPEC.valueLength()];
        Arrays.fill(one, 1f);
        worker.push(store, KEYS, 1, one).await();
        cluster.await(held, "a round took the push as a delta to the owner");
        cluster.homesAt(holder);

        final float[] pushed = initial.clone();
        for (int e = 0; e < pushed.length; e++)
        {
            pushed[e] += 1f;
        }
        return pushed;
    }

    /**
     * @param pull starts a pull into the array it is given, which waits for the held message's answer
     * @param answer answers it
     * @return what the pull read once answered
     */
    /** @return completes {@code answer} with an error saying {@code why} the message got no answer */
    private static Runnable fails(final CompletableFuture<SyncBatchReply[]> answer, final String why)
    {
        return () -> answer.completeExceptionally(new IllegalStateException(why));
    }

    private static float[] readOnce(final Function<float[], OpHandle> pull, final Runnable answer)
    {
        final float[] read = new float[SPEC.valueLength()];
        final OpHandle pending = pull.apply(read);
        answer.run();
        pending.await();
        return read;
    }

    /** The owner leaves, handing its main copy to the holder; a pull there into {@code read} waits for the answer. */
    private OpHandle pullAfterTheOwnerLeft(final float[] read)
    {
        assertEquals(1, owner.leave(5000), "the owner handed its main copy to the holder");
        final WorkerEngine worker = holder.newWorker();
        final OpHandle pull = worker.pull(worker.store(SPEC), KEYS, read, null, 1);
        assertFalse(pull.isDone(), "whether the adopted value holds the worker's push is known from the answer only");
        return pull;
    }

    /**
     * The owner flushes its backup and crashes; the holder recovers the key, and a pull there into {@code read} waits
     * for the held message's answer.
     */
    private OpHandle pullAfterTheRecovery(final float[] read)
    {
        owner.flushBackup();
        cluster.crash(owner.self());
        cluster.await(() -> holder.table(SPEC).localState(KEY) == SlotState.MAIN, "the holder recovered the key");
        final WorkerEngine worker = holder.newWorker();
        final OpHandle pull = worker.pull(worker.store(SPEC), KEYS, read, null, 1);
        assertFalse(pull.isDone(), "whether the recovered value holds the worker's push is known from the answer only");
        return pull;
    }

    private void assertExactlyOnceAfterTheOwnerIsGone(final float[] pushed)
    {
        cluster.crash(owner.self());
        holder.syncManager().waitSync();
        assertArrayEquals(pushed, read(), "the push counted once after the owner left the cluster");
        assertEquals(SlotState.MAIN, holder.table(SPEC).localState(KEY), "the holder owns the key");
    }

    private float[] read()
    {
        final WorkerEngine reader = holder.newWorker();
        final float[] read = new float[SPEC.valueLength()];
        reader.pull(reader.store(SPEC), KEYS, read, null, 1).await();
        return read;
    }
}
