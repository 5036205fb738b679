package org.intentgrid;

import java.util.random.RandomGenerator;

/**
 * The distribution sampled keys are drawn from: keys in {@code [minKey(), maxKey())} of one table.
 * <p>
 * Several workers draw at once, each with its own {@link RandomGenerator}, so an implementation must be
 * thread-safe; the built-in ones are immutable. {@link #draw} is called once per candidate key and should
 * neither block nor allocate.
 */
public interface KeyDistribution
{
    /** @return a key in {@code [minKey(), maxKey())}, using only {@code random} for randomness */
    long draw(RandomGenerator random);

    /** @return the smallest key that can be drawn */
    long minKey();

    /** @return one past the largest key that can be drawn */
    long maxKey();

    /** @return every key of {@code [min, max)} with probability {@code 1 / (max - min)} */
    static KeyDistribution uniform(final long min, final long max)
    {
        return new UniformKeys(min, max);
    }

    /**
     * Zipf's law over {@code [min, max)}: key {@code min + i} has probability proportional to
     * {@code 1 / (i + 1)^exponent}, so {@code min} is the most frequent key.
     *
     * @param exponent skew, {@code > 0} (word frequencies are near 1)
     */
    static KeyDistribution zipf(final long min, final long max, final double exponent)
    {
        return new ZipfKeys(min, max, exponent);
    }

    /**
     * The log-uniform (Zipfian) candidate distribution of word2vec-style samplers over {@code [min, max)}:
     * key {@code min + i} has probability {@code log((i + 2) / (i + 1)) / log(max - min + 1)}.
     */
    static KeyDistribution logUniform(final long min, final long max)
    {
        return new LogUniformKeys(min, max);
    }
}
