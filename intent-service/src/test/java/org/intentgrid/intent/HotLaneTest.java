package org.intentgrid.intent;

import org.intentgrid.GridConfig;
import org.intentgrid.GridMember;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica pushed to in bursts between sync rounds moves to its member's hot lane (unless the lane is off), and
 * every push of both members still reaches the main copy exactly once and every copy converges.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HotLaneTest
{
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final int BURSTS = 300;
    private static final int BURST = 32;

    @ParameterizedTest
    @ValueSource(ints = {256, 0})
    void aHotReplicaSyncsInTheLaneAndEveryPushArrivesOnce(final int hotLaneKeys) throws Exception
    {
        try (ParameterGrid grid = ParameterGrid.start(
            GridConfig.embedded().members(2).mode(Mode.ADAPTIVE).hotLaneKeys(hotLaneKeys)))
        {
            final Table table = grid.table(TableSpec.of("hot-lane-" + hotLaneKeys, 1_000, 2));
            final GridMember owner = grid.member(0);
            final GridMember user = grid.member(1);
            final long[] key = {Grids.homedOn(owner, table, 1)[0]};
            Grids.touchAll(grid, table);
            try (ParameterWorker ownerWorker = owner.worker(); ParameterWorker userWorker = user.worker())
            {
                // both intend the key for the whole test: one member keeps the main copy and the other gets a
                // replica; usually the owner keeps it, but if the user's refresh reaches the owner before the owner's
                // own intent is registered there, the key moves to the user first and the owner gets the replica
                ownerWorker.intent(table, key, 0, Long.MAX_VALUE);
                userWorker.intent(table, key, 0, Long.MAX_VALUE);
                awaitLocal(user, table, key[0]);
                awaitLocal(owner, table, key[0]);

                final Thread ownerPushes = new Thread(() -> bursts(ownerWorker, table, key), "owner-pushes");
                ownerPushes.start();
                bursts(userWorker, table, key);
                ownerPushes.join();
                grid.waitSync();
                grid.waitSync();

                final float total = 2f * BURSTS * BURST;
                final float[] onOwner = new float[2];
                final float[] onUser = new float[2];
                ownerWorker.pull(table, key, onOwner).await();
                userWorker.pull(table, key, onUser).await();
                assertArrayEquals(new float[] {total, 2 * total}, onOwner, "main copy: every push once");
                assertArrayEquals(onOwner, onUser, "the replica converged");
            }
            final long promotions = owner.syncStats().hotLanePromotions() + user.syncStats().hotLanePromotions();
            if (hotLaneKeys > 0)
            {
                assertTrue(promotions > 0, "the replica went to the hot lane: owner " + owner.syncStats() +
                    "; user " + user.syncStats());
            }
            else
            {
                assertEquals(0, promotions, "the lane is off: owner " + owner.syncStats() + "; user " +
                    user.syncStats());
            }
        }
    }

    private static void bursts(final ParameterWorker worker, final Table table, final long[] key)
    {
        final float[] update = {1, 2};
        for (int b = 0; b < BURSTS; b++)
        {
            for (int i = 0; i < BURST; i++)
            {
                worker.push(table, key, update);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    private static void awaitLocal(final GridMember member, final Table table, final long key)
    {
        final long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!member.isLocal(table, key))
        {
            assertTrue(System.nanoTime() < deadline, "key " + key + " local on " + member);
            LockSupport.parkNanos(100_000);
        }
    }
}
