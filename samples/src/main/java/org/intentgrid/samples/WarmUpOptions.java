package org.intentgrid.samples;

import picocli.CommandLine.Option;

import java.util.Map;

/**
 * The warm-up of a throughput benchmark's runs (a picocli mixin): a minimum, then on until the JIT compiler is idle,
 * up to a maximum ({@link BenchSupport#warmUp}).
 */
final class WarmUpOptions
{
    @Option(names = "--warmup", defaultValue = "2", paramLabel = "SECONDS",
        description = "warm-up seconds per run at least (default ${DEFAULT-VALUE})")
    double minSeconds;

    @Option(names = "--max-warmup", defaultValue = "60", paramLabel = "SECONDS",
        description = "past --warmup, a run's warm-up goes on until the JIT compiler is idle (compiling under 5%% " +
            "of the last 2 s), at most this many seconds in all (default ${DEFAULT-VALUE})")
    double maxSeconds;

    /**
     * Warms up, showing progress; the measured phase starts when it returns.
     *
     * @return the warm-up, to report with the measurement
     */
    WarmedUp run(final String task)
    {
        return new WarmedUp(BenchSupport.warmUp(task, minSeconds, maxSeconds), BenchSupport.jitMillis());
    }

    /** A finished warm-up: how long it took, and the JIT's compile time when the measured phase began. */
    record WarmedUp(double seconds, long jitMillisAtEnd)
    {
        /**
         * Adds {@code warmup_seconds} and {@code jit_busy} (the JIT's compile time per second since the warm-up
         * ended) to a result row.
         */
        void report(final Map<String, Object> row, final double measuredSeconds)
        {
            row.put("warmup_seconds", seconds);
            row.put("jit_busy", (BenchSupport.jitMillis() - jitMillisAtEnd) / 1e3 / measuredSeconds);
        }
    }

    /** @throws IllegalArgumentException for a negative minimum or maximum */
    void validate()
    {
        if (minSeconds < 0 || maxSeconds < 0)
        {
            throw new IllegalArgumentException("--warmup " + minSeconds + " / --max-warmup " + maxSeconds +
                " is out of range; expected seconds >= 0");
        }
    }
}
