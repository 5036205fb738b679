package org.intentgrid;

import java.util.random.RandomGenerator;

final class LogUniformKeys implements KeyDistribution
{
    private final long min;
    private final long max;
    private final double logRange;

    LogUniformKeys(final long min, final long max)
    {
        KeyRange.check("log-uniform", min, max);
        this.min = min;
        this.max = max;
        this.logRange = Math.log1p((double)(max - min));
    }

    /** Inversion: {@code floor(exp(u * log(n + 1))) - 1} has exactly the documented probabilities. */
    @Override
    public long draw(final RandomGenerator random)
    {
        final long offset = (long)Math.floor(Math.exp(random.nextDouble() * logRange)) - 1;
        return min + Math.min(Math.max(offset, 0), max - min - 1);
    }

    @Override
    public long minKey()
    {
        return min;
    }

    @Override
    public long maxKey()
    {
        return max;
    }

    @Override
    public String toString()
    {
        return "log-uniform[" + min + ", " + max + ")";
    }
}
