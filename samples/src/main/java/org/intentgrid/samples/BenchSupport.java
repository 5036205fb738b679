package org.intentgrid.samples;

import me.tongfei.progressbar.ProgressBar;
import org.intentgrid.ParameterGrid;
import org.intentgrid.Table;

import java.util.List;

/** What the throughput benchmarks share: timed phases with a progress bar, table set-up, thread joins. */
final class BenchSupport
{
    private BenchSupport()
    {
    }

    /** Sleeps for a warm-up or measurement phase, showing its progress. */
    static void sleepWithProgress(final String task, final double seconds)
    {
        final long steps = Math.max(1, Math.round(seconds * 10));
        try (ProgressBar bar = ProgressBars.builder(task, steps).setUpdateIntervalMillis(200).continuousUpdate()
            .build())
        {
            for (long i = 0; i < steps; i++)
            {
                Thread.sleep((long)(seconds * 1000 / steps));
                bar.step();
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Materializes every key of {@code table} at its home, so that the measurement does not pay for it. */
    static void touchAll(final ParameterGrid grid, final Table table)
    {
        grid.materializeAll(table);
    }

    /** Waits for all threads. */
    static void joinAll(final List<Thread> threads)
    {
        for (final Thread t : threads)
        {
            try
            {
                t.join();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
