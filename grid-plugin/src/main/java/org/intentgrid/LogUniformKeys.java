package org.intentgrid;

import java.util.random.RandomGenerator;

final class LogUniformKeys extends KeyRange
{
    private final double logRange;

    LogUniformKeys(final long min, final long max)
    {
        super("log-uniform", min, max);
        this.logRange = Math.log1p((double)(max - min));
    }

    /** Inversion: {@code floor(exp(u * log(n + 1))) - 1} has exactly the documented probabilities. */
    @Override
    public long draw(final RandomGenerator random)
    {
        final long offset = (long)Math.floor(Math.exp(random.nextDouble() * logRange)) - 1;
        return min + Math.min(Math.max(offset, 0), max - min - 1);
    }
}
