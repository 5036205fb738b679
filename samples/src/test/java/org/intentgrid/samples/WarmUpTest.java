package org.intentgrid.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmarks' warm-up ({@link BenchSupport#warmUp}) against a stand-in for the JIT's compile time, read every
 * tenth of a second: it lasts at least its minimum, stops once the compiler was idle for two seconds, and never
 * runs past its maximum. Bounds are loose (sleeps overshoot on a busy machine).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WarmUpTest
{
    /** Compiles {@code millisPerRead} between reads, for the first {@code busyReads} reads. */
    private static LongSupplier compiling(final long millisPerRead, final int busyReads)
    {
        final long[] state = new long[2];
        return () ->
        {
            if (state[1]++ < busyReads)
            {
                state[0] += millisPerRead;
            }
            return state[0];
        };
    }

    @Test
    void anIdleCompilerEndsTheWarmUpAfterTwoSeconds()
    {
        final double seconds = BenchSupport.warmUp("test", 0, 30, compiling(0, 0));
        assertTrue(seconds >= 1.9 && seconds < 4, "idle from the start: one window, took " + seconds);
    }

    @Test
    void theWarmUpLastsUntilTheCompilerWasIdleForTwoSeconds()
    {
        final double seconds = BenchSupport.warmUp("test", 0, 30, compiling(200, 11));
        assertTrue(seconds >= 2.9 && seconds < 6,
            "two cores compiling for a second, then idle for two: took " + seconds);
    }

    @Test
    void aCompilerThatNeverRestsEndsTheWarmUpAtItsMaximum()
    {
        final double seconds = BenchSupport.warmUp("test", 0, 1.5, compiling(20, Integer.MAX_VALUE));
        assertTrue(seconds >= 1.4 && seconds < 3.5, "a fifth of a core compiling throughout: took " + seconds);
    }

    @Test
    void theMinimumHoldsEvenWhenTheCompilerIsIdle()
    {
        final double seconds = BenchSupport.warmUp("test", 2.5, 30, compiling(0, 0));
        assertTrue(seconds >= 2.4 && seconds < 5, "--warmup 2.5 with an idle compiler: took " + seconds);
    }

    @Test
    void negativeSecondsAreRejected()
    {
        final WarmUpOptions options = new WarmUpOptions();
        options.minSeconds = 2;
        options.maxSeconds = -1;
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, options::validate);
        assertTrue(e.getMessage().contains("--max-warmup -1.0"), e.getMessage());
    }
}
