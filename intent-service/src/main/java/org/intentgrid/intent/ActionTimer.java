package org.intentgrid.intent;

/**
 * When to act on an intent, for one worker: acting takes effect at the end of the sync round that
 * registers the intent, so an intent must be registered about two rounds before the worker reaches its
 * start clock. The timer estimates how many clocks the worker advances per round (exponential smoothing,
 * never below the last round's count) and acts on intents whose start lies within the 0.9999 quantile of
 * Poisson(2 x estimate) clocks ahead.
 */
final class ActionTimer
{
    static final double INITIAL_ESTIMATE = 10;
    static final double SMOOTHING = 0.1;
    static final double QUANTILE = 0.9999;
    /** Standard normal quantile of 0.9999, for the normal approximation of large Poisson means. */
    private static final double Z_QUANTILE = 3.7190164854556804;
    private static final double NORMAL_APPROXIMATION_FROM = 500;

    private double estimate = INITIAL_ESTIMATE;
    private long lastClock = -1;
    private double windowFor = -1;
    private long window;

    /**
     * Updates the estimate with the clock seen at the start of this round.
     *
     * @return how many clocks ahead of {@code clock} intents are acted on now
     */
    long window(final long clock)
    {
        double effective = estimate;
        if (lastClock >= 0 && clock != Long.MAX_VALUE)
        {
            final long ticks = clock - lastClock;
            if (ticks != 0)
            {
                estimate = (1 - SMOOTHING) * estimate + SMOOTHING * ticks;
                effective = Math.max(ticks, estimate);
            }
        }
        lastClock = clock;
        if (effective != windowFor)
        {
            windowFor = effective;
            window = poissonQuantile(2 * effective);
        }
        return window;
    }

    /** @return the window of the last {@link #window(long)} call (its initial estimate's before the first) */
    long currentWindow()
    {
        return windowFor < 0 ? poissonQuantile(2 * INITIAL_ESTIMATE) : window;
    }

    /** @return the current clocks-per-round estimate */
    double estimate()
    {
        return estimate;
    }

    /** @return the smallest k with P(Poisson(lambda) <= k) >= 0.9999 */
    static long poissonQuantile(final double lambda)
    {
        if (lambda >= NORMAL_APPROXIMATION_FROM)
        {
            return (long)Math.ceil(lambda + Z_QUANTILE * Math.sqrt(lambda));
        }
        double p = Math.exp(-lambda);
        double cdf = p;
        long k = 0;
        while (cdf < QUANTILE)
        {
            k++;
            p *= lambda / k;
            cdf += p;
        }
        return k;
    }
}
