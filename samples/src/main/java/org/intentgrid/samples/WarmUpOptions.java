package org.intentgrid.samples;

import picocli.CommandLine.Option;

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
     * Warms up, showing progress.
     *
     * @return the seconds it took
     */
    double run(final String task)
    {
        return BenchSupport.warmUp(task, minSeconds, maxSeconds);
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
