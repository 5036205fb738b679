package org.intentgrid.intent;

import org.intentgrid.GridConfig;
import org.intentgrid.GridMember;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A placeholder created between full sync rounds is fetched by a fetch round as soon as no round is in flight,
 * not after the rate limit's interval: with one full round per second, a key intended right after a round is
 * local before the next one. Replica deltas still travel with full rounds only, each merged exactly once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FetchRoundTest
{
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(20);

    @Test
    void aKeyIntendedBetweenFullRoundsIsFetchedBeforeTheNextOne()
    {
        try (ParameterGrid grid = ParameterGrid.start(
            GridConfig.embedded().members(2).mode(Mode.ADAPTIVE).maxRoundsPerSecond(1)))
        {
            final Table table = grid.table(TableSpec.of("fetch-round", 1_000, 2));
            final GridMember owner = grid.member(0);
            final GridMember user = grid.member(1);
            final long[] keys = Grids.homedOn(owner, table, 2);
            Grids.touchAll(grid, table);
            try (ParameterWorker ownerWorker = owner.worker(); ParameterWorker worker = user.worker())
            {
                // the owner uses both keys too, so that the user gets replicas (the owner's pushes stay local)
                ownerWorker.intent(table, keys, 0, Long.MAX_VALUE);
                worker.intent(table, new long[] {keys[0]}, 0, 1_000_000);
                awaitLocal(user, table, keys[0]);
                // the key is local once its answer is applied, a moment before its round counts as completed; the
                // count is read after a completed round, so the next full round is a whole interval away
                user.waitSync();
                final long fullRounds = user.syncStats().rounds();

                worker.intent(table, new long[] {keys[1]}, 0, 1_000_000);
                awaitLocal(user, table, keys[1]);
                assertEquals(fullRounds, user.syncStats().rounds(),
                    "the second key arrived without another full round: " + user.syncStats());

                final float[] one = {1, 1};
                for (int i = 0; i < 100; i++)
                {
                    worker.push(table, new long[] {keys[0]}, one).await();
                }
                grid.waitSync();
                final float[] merged = new float[2];
                ownerWorker.pull(table, new long[] {keys[0]}, merged).await();
                assertArrayEquals(new float[] {100, 100}, merged, "every replica push merged once at the owner");
            }
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
