package org.intentgrid.sampling;

import org.agrona.collections.LongHashSet;
import org.intentgrid.KeyDistribution;

import java.util.random.RandomGenerator;

/** Drawing keys from an application's distribution, with the range check that custom distributions need. */
final class Draws
{
    private Draws()
    {
    }

    /** @return one key of {@code distribution}, checked against its declared range */
    static long one(final KeyDistribution distribution, final RandomGenerator random)
    {
        final long key = distribution.draw(random);
        if (key < distribution.minKey() || key >= distribution.maxKey())
        {
            throw new IllegalStateException("key distribution " + distribution + " drew key " + key + " outside its " +
                "declared range [" + distribution.minKey() + ", " + distribution.maxKey() + ")");
        }
        return key;
    }

    /**
     * Fills {@code out} with keys of {@code distribution}; with {@code distinct}, redraws repeats (the caller
     * ensures the range has enough keys).
     *
     * @param seen cleared and used to detect repeats when {@code distinct}
     */
    static void fill(
        final KeyDistribution distribution, final RandomGenerator random, final long[] out, final boolean distinct,
        final LongHashSet seen)
    {
        if (distinct)
        {
            seen.clear();
        }
        for (int i = 0; i < out.length; i++)
        {
            long key = one(distribution, random);
            if (distinct)
            {
                while (!seen.add(key))
                {
                    key = one(distribution, random);
                }
            }
            out[i] = key;
        }
    }
}
