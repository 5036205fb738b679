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

    /** Warms up against {@code compiler} and checks that it took from {@code low} to just under {@code high} s. */
    private static void assertWarmUpTakes(final double minSeconds, final double maxSeconds,
        final LongSupplier compiler, final double low, final double high, final String what)
    {
        final double seconds = BenchSupport.warmUp("test", minSeconds, maxSeconds, compiler);
        assertTrue(seconds >= low && seconds < high, what + ": took " + seconds);
    }

    @Test
    void anIdleCompilerEndsTheWarmUpAfterTwoSeconds()
    {
        assertWarmUpTakes(0, 30, compiling(0, 0), 1.9, 4, "idle from the start: one window");
    }

    @Test
    void theWarmUpLastsUntilTheCompilerWasIdleForTwoSeconds()
    {
        assertWarmUpTakes(0, 30, compiling(200, 11), 2.9, 6,
            "two cores compiling for a second, then idle for two");
    }

    @Test
    void aCompilerThatNeverRestsEndsTheWarmUpAtItsMaximum()
    {
        assertWarmUpTakes(0, 1.5, compiling(20, Integer.MAX_VALUE), 1.4, 3.5,
            "a fifth of a core compiling throughout");
    }

    @Test
    void theMinimumHoldsEvenWhenTheCompilerIsIdle()
    {
        assertWarmUpTakes(2.5, 30, compiling(0, 0), 2.4, 5, "--warmup 2.5 with an idle compiler");
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
