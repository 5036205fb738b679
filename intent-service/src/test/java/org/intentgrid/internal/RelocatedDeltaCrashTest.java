package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A replica's delta that the owner merged in one sync round, before a later round relocated the key to the replica's
 * own member, counts once when the old owner crashes before its backup had the delta. The replica's member kept the
 * delta for the owner until the owner's backup confirmed it ({@link UnconfirmedUpdates}); at the crash it would send
 * it again — to itself, the key's owner now, whose value holds it. The relocation carries the delta's fingerprint
 * ({@link Stripe#appliedTo}), so the member knows it applied ({@link KnownUpdates}); before, the push counted twice.
 * (A delta merged in the round that relocates the key is not kept at all: the value it comes with holds it.)
 * <p>
 * Two in-memory members in mode adaptive: {@code owner} creates the key and flushes its backups once a minute (never,
 * here), intending the key for its clock 0 only, so that the key is replicated to {@code holder}, whose worker
 * intends it for good; once the owner's clock moved on, the next round relocates the key to the holder.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelocatedDeltaCrashTest
{
    private static final TableSpec SPEC = TableSpec.of("relocated-delta", 1000, 4).init(Init.uniform(-1, 1, 3));
    private static final GridConfig CONFIG = GridConfig.embedded().mode(Mode.ADAPTIVE).requestTimeoutMillis(5000)
        .backupFlushMillis(60_000);
    private static final long KEY = 21;
    private static final long[] KEYS = {KEY};

    private final InMemoryCluster cluster = new InMemoryCluster(4);
    private final MemberRuntime owner = cluster.addMember(CONFIG);
    private final MemberRuntime holder = cluster.addMember(CONFIG);

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aDeltaMergedBeforeItsKeyWasRelocatedToTheReplicaCountsOnceWhenTheOldOwnerCrashes()
    {
        cluster.homesAt(owner);
        final WorkerEngine atOwner = owner.newWorker();
        final TableStore ownerStore = atOwner.store(SPEC);
        final float[] pushed = new float[SPEC.valueLength()];
        atOwner.pull(ownerStore, KEYS, pushed, null, 1).await();
        atOwner.intent(ownerStore, KEYS, 1, 0, 1);
        // registered before the holder asks: else the holder's first round finds no owner intent and relocates
        owner.waitSync();
        final WorkerEngine worker = holder.newWorker();
        final TableStore store = worker.store(SPEC);
        worker.intent(store, KEYS, 1, 0, 1_000_000);
        cluster.await(() -> store.localState(KEY) == SlotState.REPLICA, "the holder has a replica");

        final float[] one = new float[SPEC.valueLength()];
        Arrays.fill(one, 1f);
        worker.push(store, KEYS, 1, one).await();
        for (int e = 0; e < pushed.length; e++)
        {
            pushed[e] += 1f;
        }
        cluster.await(() -> holder.backupStats().updatesUnconfirmed() > 0,
            "a round merged the delta at the owner, and the holder keeps it until the owner's backup has it");
        atOwner.advanceClock();
        cluster.await(() -> store.localState(KEY) == SlotState.MAIN, "the key was relocated to the holder");

        cluster.homesAt(holder);
        cluster.crash(owner.self());
        cluster.await(() -> holder.backupStats().updatesUnconfirmed() == 0 &&
            holder.backupStats().updatesKnownApplied() > 0, "the holder learnt that its delta was applied");
        holder.syncCluster();
        final float[] read = new float[SPEC.valueLength()];
        worker.pull(store, KEYS, read, null, 1).await();
        assertArrayEquals(pushed, read, 1e-6f, () -> "the push counted once; traffic: " + cluster.traffic());
        assertEquals(0, holder.backupStats().updatesResent(), "nothing was sent again");
    }
}
