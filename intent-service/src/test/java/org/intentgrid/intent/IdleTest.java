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

import static org.junit.jupiter.api.Assertions.assertTrue;

/** After training stops, members stop exchanging sync messages (the reference sends them every round forever). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdleTest
{
    @Test
    void syncTrafficStopsWhenWorkStops() throws Exception
    {
        try (ParameterGrid grid = Grids.start(3, Mode.ADAPTIVE))
        {
            final Table table = grid.table(TableSpec.of("idle", 1000, 4));
            final SplittableRandom random = new SplittableRandom(1);
            final ParameterWorker[] workers = new ParameterWorker[3];
            for (int m = 0; m < 3; m++)
            {
                workers[m] = grid.member(m).worker();
            }
            for (int step = 0; step < 300; step++)
            {
                for (final ParameterWorker w : workers)
                {
                    final long[] keys = {random.nextInt(50), random.nextInt(1000)};
                    final long clock = w.clock();
                    w.intent(table, keys, clock + 1, clock + 20);
                    w.push(table, keys, new float[8]).await();
                    w.advanceClock();
                }
            }
            final long busy = messages(grid);
            assertTrue(busy > 50, "sync messages flowed while working: " + busy);
            for (final ParameterWorker w : workers)
            {
                w.close();
            }
            Thread.sleep(500);
            final long quietStart = messages(grid);
            Thread.sleep(1000);
            final long quiet = messages(grid) - quietStart;
            assertTrue(quiet <= 3, "sync messages in one idle second across 3 members: " + quiet);
        }
    }

    private static long messages(final ParameterGrid grid)
    {
        long n = 0;
        for (final GridMember member : grid.members())
        {
            n += member.syncStats().messagesSent();
        }
        return n;
    }
}
