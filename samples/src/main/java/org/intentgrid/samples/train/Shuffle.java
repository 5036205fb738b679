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
        for (int i = values.length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
