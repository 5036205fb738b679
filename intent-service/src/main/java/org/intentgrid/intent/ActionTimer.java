package org.intentgrid.intent;

/**
 * When to act on an intent, for one worker: acting takes effect at the end of the sync round that
 * registers the intent, so an intent must be registered about two rounds before the worker reaches its
 * start clock. The timer estimates how many clocks the worker advances per round and acts on intents whose
 * start lies within the 0.9999 quantile of Poisson(2 x that many) clocks ahead.
 * <p>
 * The reference smooths the clocks per round exponentially (never below the last round's count). On a loaded
 * machine round durations vary far more than Poisson: a round whose threads wait for a core runs several times
 * the mean, and every key whose intent was timed for the mean is then not local when its worker gets there
 * (kge on 2 members, 2 cores: 84-106 pulls per million went remote, each waiting ~5 ms for its replica). So,
 * as TCP's retransmission timer does for round-trip times (RFC 6298), the timer also smooths the deviation of
 * the count from the estimate and plans for the estimate plus two deviations (TCP takes four; in kge two already
 * halved the remote pulls, and every extra clock of window keeps replicas alive longer); a steady rate has no
 * deviation and keeps the reference's window.
 */
final class ActionTimer
{
    static final double INITIAL_ESTIMATE = 10;
    static final double SMOOTHING = 0.1;
    static final double DEVIATION_SMOOTHING = 0.25;
    static final double DEVIATION_WEIGHT = 2;
    static final double QUANTILE = 0.9999;
    /** Standard normal quantile of 0.9999, for the normal approximation of large Poisson means. */
    private static final double Z_QUANTILE = 3.7190164854556804;
    private static final double NORMAL_APPROXIMATION_FROM = 500;

    private double estimate = INITIAL_ESTIMATE;
    private double deviation;
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
        long ticks = 0;
        if (lastClock >= 0 && clock != Long.MAX_VALUE)
        {
            ticks = clock - lastClock;
            if (ticks != 0)
            {
                deviation = (1 - DEVIATION_SMOOTHING) * deviation + DEVIATION_SMOOTHING * Math.abs(ticks - estimate);
                estimate = (1 - SMOOTHING) * estimate + SMOOTHING * ticks;
            }
        }
        lastClock = clock;
        final double effective = Math.max(ticks, estimate + DEVIATION_WEIGHT * deviation);
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
