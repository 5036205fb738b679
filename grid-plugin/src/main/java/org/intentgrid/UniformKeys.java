package org.intentgrid;

import java.util.random.RandomGenerator;

final class UniformKeys implements KeyDistribution
{
    private final long min;
    private final long max;

    UniformKeys(final long min, final long max)
    {
        KeyRange.check("uniform", min, max);
        this.min = min;
        this.max = max;
    }

    @Override
    public long draw(final RandomGenerator random)
    {
        return random.nextLong(min, max);
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
        return "uniform[" + min + ", " + max + ")";
    }
}
