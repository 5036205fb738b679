package org.intentgrid;

import java.util.random.RandomGenerator;

final class UniformKeys extends KeyRange
{
    UniformKeys(final long min, final long max)
    {
        super("uniform", min, max);
    }

    @Override
    public long draw(final RandomGenerator random)
    {
        return random.nextLong(min, max);
    }
}
