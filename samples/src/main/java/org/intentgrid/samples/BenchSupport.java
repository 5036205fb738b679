package org.intentgrid.samples;

import me.tongfei.progressbar.ProgressBar;
import org.intentgrid.ParameterGrid;
import org.intentgrid.Table;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/** What the throughput benchmarks share: timed phases with a progress bar, table set-up, thread joins. */
final class BenchSupport
{
    /** Tenths of a second over which {@link #warmUp} judges the JIT idle. */
    private static final int JIT_IDLE_WINDOW_STEPS = 20;
    /** Share of the time spent compiling below which the JIT counts as idle. */
    private static final double JIT_IDLE_SHARE = 0.05;

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

    /**
     * A warm-up phase: at least {@code minSeconds} (and the idle window), then on until the JIT compiler has been
     * idle for the last {@value #JIT_IDLE_WINDOW_STEPS} tenths of a second (compiling under
     * {@value #JIT_IDLE_SHARE} of that time, as the JVM counts it: wall clock summed over its compiler threads), or
     * until {@code maxSeconds}, whichever comes first, showing its progress. On 2 cores the grid modes of
     * {@code bench zipf} keep C2 busy for 15-30 s (it compiles and recompiles the sync rounds, about half a second
     * each), and a fixed 2-second warm-up measured them with half a core still compiling.
     *
     * @return the seconds the warm-up took
     */
    static double warmUp(final String task, final double minSeconds, final double maxSeconds)
    {
        return warmUp(task, minSeconds, maxSeconds, BenchSupport::jitMillis);
    }

    /** As {@link #warmUp(String, double, double)}, with the JIT's compile time read from {@code compileMillis}. */
    static double warmUp(
        final String task, final double minSeconds, final double maxSeconds, final LongSupplier compileMillis)
    {
        final long maxSteps = Math.max(1, Math.round(Math.max(minSeconds, maxSeconds) * 10));
        final long minSteps = Math.max(JIT_IDLE_WINDOW_STEPS, Math.round(minSeconds * 10));
        final long idleMillis = Math.round(JIT_IDLE_SHARE * JIT_IDLE_WINDOW_STEPS * 100);
        final long[] compiledAt = new long[JIT_IDLE_WINDOW_STEPS];
        Arrays.fill(compiledAt, compileMillis.getAsLong());
        final long start = System.nanoTime();
        try (ProgressBar bar = ProgressBars.builder(task, maxSteps).setUpdateIntervalMillis(200).continuousUpdate()
            .build())
        {
            for (long step = 0; step < maxSteps; step++)
            {
                Thread.sleep(100);
                bar.step();
                final long compiled = compileMillis.getAsLong();
                final int at = (int)(step % JIT_IDLE_WINDOW_STEPS);
                final long windowAgo = compiledAt[at];
                compiledAt[at] = compiled;
                if (step + 1 >= minSteps && compiled - windowAgo <= idleMillis)
                {
                    bar.setExtraMessage(" JIT idle");
                    bar.maxHint(step + 1);
                    break;
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * @return milliseconds the JIT compilers have spent compiling so far (wall clock, summed over them), or 0 where
     *         the JVM does not tell
     */
    static long jitMillis()
    {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
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
