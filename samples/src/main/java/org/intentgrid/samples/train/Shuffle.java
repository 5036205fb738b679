package org.intentgrid.samples.train;

import java.util.SplittableRandom;

/** Fisher-Yates shuffles with the caller's seeded generator, so that runs repeat. */
public final class Shuffle
{
    private Shuffle()
    {
    }

    /** Shuffles {@code values} in place. */
    public static void ints(final int[] values, final SplittableRandom random)
    {
        groups(values, 1, random);
    }

    /**
     * Shuffles the groups of {@code width} consecutive values in {@code values} in place, each group kept together
     * (records stored interleaved, so that a pass over the shuffled records reads memory in order).
     */
    public static void groups(final int[] values, final int width, final SplittableRandom random)
    {
        for (int i = values.length / width - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            for (int k = 0; k < width; k++)
            {
                final int t = values[i * width + k];
                values[i * width + k] = values[j * width + k];
                values[j * width + k] = t;
            }
        }
    }
}
