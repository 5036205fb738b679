package org.intentgrid.intent;

import org.intentgrid.GridMember;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Set overwrites the main copy. On a replicated key it is defined too (the reference leaves it undefined):
 * the set goes to the main copy; the setter reads its own set at once (its member's replica is stale until
 * refreshed); every replica shows it after two completed sync rounds; pushes made anywhere afterwards add
 * on top of it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SetSemanticsTest
{
    private static final long KEY = 9;

    @Test
    void setThenPullReturnsTheSetValue()
    {
        try (ParameterGrid grid = Grids.start(4, Mode.ADAPTIVE))
        {
            final Table table = grid.table(TableSpec.of("set-plain", 36, 2));
            final SplittableRandom random = new SplittableRandom(3);
            try (ParameterWorker w = grid.member(1).worker())
            {
                for (int run = 0; run < 50; run++)
                {
                    final float[] set = {random.nextInt(1000), random.nextInt(1000)};
                    w.set(table, new long[] {KEY}, set).await();
                    final float[] read = new float[2];
                    w.pull(table, new long[] {KEY}, read).await();
                    assertArrayEquals(set, read, "run " + run);
                }
            }
        }
    }

    private static int replicas(final ParameterGrid grid, final Table table)
    {
        int replicas = 0;
        for (final GridMember member : grid.members())
        {
            replicas += member.copyState(table, KEY) == GridMember.CopyState.REPLICA ? 1 : 0;
        }
        return replicas;
    }

    @Test
    void setOnAReplicatedKeyIsReadYourWritesAndReachesEveryReplica()
    {
        try (ParameterGrid grid = Grids.start(3, Mode.ADAPTIVE))
        {
            final Table table = grid.table(TableSpec.of("set-replicated", 36, 2));
            final ParameterWorker[] workers = new ParameterWorker[3];
            for (int m = 0; m < 3; m++)
            {
                workers[m] = grid.member(m).worker();
                workers[m].intent(table, new long[] {KEY}, 0, 1_000_000);
            }
            for (final ParameterWorker w : workers)
            {
                w.push(table, new long[] {KEY}, new float[] {1, 1}).await();
            }
            // the copies settle within a few rounds, more on a loaded machine when the main copy moved on the way
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            do
            {
                grid.waitSync();
            }
            while (replicas(grid, table) < 2 && System.nanoTime() < deadline);
            assertEquals(2, replicas(grid, table), "intent on every member: one main copy, two replicas");

            final float[] set = {100, 200};
            workers[2].set(table, new long[] {KEY}, set).await();
            final float[] read = new float[2];
            workers[2].pull(table, new long[] {KEY}, read).await();
            assertArrayEquals(set, read, "the setter reads its own set at once");

            grid.waitSync();
            grid.waitSync();
            for (final ParameterWorker w : workers)
            {
                w.pull(table, new long[] {KEY}, read).await();
                assertArrayEquals(set, read, "every replica shows the set after two rounds");
            }
            for (int m = 0; m < 3; m++)
            {
                workers[m].push(table, new long[] {KEY}, new float[] {m + 1, 2 * (m + 1)}).await();
            }
            grid.waitSync();
            grid.waitSync();
            for (final ParameterWorker w : workers)
            {
                w.pull(table, new long[] {KEY}, read).await();
                assertArrayEquals(new float[] {106, 212}, read, "pushes after the set add on top of it");
            }
            for (final ParameterWorker w : workers)
            {
                w.close();
            }
        }
    }
}
