package org.intentgrid;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract 4 and the locality half of the relocation mechanism: localize, then access inline. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalityTest
{
    private static ParameterGrid grid;

    @BeforeAll
    static void start()
    {
        grid = TestGrids.start(3);
    }

    @AfterAll
    static void stop()
    {
        grid.close();
    }

    @Test
    void localizeMovesMainCopiesToTheCallerAndUpdatesTheHome()
    {
        final Table table = grid.table(TableSpec.of("locality", 300, 3).init(Init.uniform(-1, 1, 11)));
        final long[] keys = new long[100];
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = 3L * i;
        }
        final GridMember target = grid.member(2);
        try (ParameterWorker worker = target.worker())
        {
            final float[] before = new float[keys.length * 3];
            worker.pull(table, keys, before).await();
            for (int i = 0; i < keys.length; i++)
            {
                for (int e = 0; e < 3; e++)
                {
                    assertEquals(TestGrids.initial(table, keys[i], e), before[i * 3 + e]);
                }
            }
            worker.localize(table, keys).await();

            for (final long key : keys)
            {
                assertTrue(target.holdsMain(table, key), "key " + key + " is on the caller");
                for (final GridMember other : grid.members())
                {
                    if (other != target)
                    {
                        assertFalse(other.holdsMain(table, key), "key " + key + " is gone from " + other);
                    }
                    if (other.isHome(table, key))
                    {
                        assertEquals(target.id(), other.directoryOwner(table, key), "home directory of key " + key);
                    }
                }
            }
            final float[] after = new float[keys.length * 3];
            assertSame(OpHandle.DONE, worker.pull(table, keys, after), "pull of localized keys completes inline");
            assertArrayEquals(before, after, "values travel with the main copy");
            assertSame(OpHandle.DONE, worker.push(table, keys, new float[keys.length * 3]));
        }
    }

    @Test
    void staleRoutesConvergeAfterRepeatedMoves()
    {
        final Table table = grid.table(TableSpec.of("locality-moves", 50, 1));
        final long[] keys = {1, 7, 13, 42};
        final float[] one = {1, 1, 1, 1};
        final SplittableRandom random = new SplittableRandom(5);
        final ParameterWorker[] workers = new ParameterWorker[3];
        for (int m = 0; m < 3; m++)
        {
            workers[m] = grid.member(m).worker();
        }
        int pushes = 0;
        for (int round = 0; round < 40; round++)
        {
            workers[random.nextInt(3)].localize(table, keys).await();
            final ParameterWorker pusher = workers[random.nextInt(3)];
            pusher.push(table, keys, one).await();
            pushes++;
        }
        for (int m = 0; m < 3; m++)
        {
            final float[] values = new float[4];
            workers[m].pull(table, keys, values).await();
            assertArrayEquals(new float[] {pushes, pushes, pushes, pushes}, values, "member " + m +
                " reads every push");
        }
        final ParameterWorker owner = workers[0];
        owner.localize(table, keys).await();
        for (int m = 1; m < 3; m++)
        {
            final float[] values = new float[4];
            final OpHandle first = workers[m].pull(table, keys, values);
            assertNotSame(OpHandle.DONE, first);
            first.await();
            final long before = workers[m].stats().remoteOps();
            workers[m].pull(table, keys, values).await();
            assertEquals(1, workers[m].stats().remoteOps() - before,
                "after one lookup the route is cached: one operation for the whole batch");
        }
        for (final ParameterWorker worker : workers)
        {
            worker.close();
        }
    }
}
