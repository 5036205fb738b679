package org.intentgrid.samples.mf;

import org.agrona.collections.LongHashSet;
import org.intentgrid.KeyDistribution;

import java.util.SplittableRandom;

/**
 * A planted low-rank matrix: {@code x_ij = w_i . h_j + noise} with Gaussian factors scaled so that the signal has
 * unit variance, and Gaussian noise of standard deviation {@code noise}, which is therefore the best achievable
 * test RMSE. Observed cells are drawn with Zipf-skewed rows and columns (popular users and items), without repeats;
 * every 10th becomes a test entry.
 */
final class MfGenerator
{
    final Entries train;
    final Entries test;

    MfGenerator(final int rows, final int columns, final int rank, final int entries, final double noise,
        final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final double scale = 1.0 / Math.sqrt(Math.sqrt(rank));
        final float[] w = gaussian(random, rows * rank, scale);
        final float[] h = gaussian(random, columns * rank, scale);
        final KeyDistribution rowPopularity = KeyDistribution.zipf(0, rows, 0.6);
        final KeyDistribution columnPopularity = KeyDistribution.zipf(0, columns, 0.6);
        final int testCount = entries / 10;
        final int trainCount = entries - testCount;
        final int[][] index = {new int[trainCount], new int[trainCount], new int[testCount], new int[testCount]};
        final float[][] values = {new float[trainCount], new float[testCount]};
        final LongHashSet seen = new LongHashSet();
        int trainN = 0;
        int testN = 0;
        while (trainN + testN < entries)
        {
            final int i = (int)rowPopularity.draw(random);
            final int j = (int)columnPopularity.draw(random);
            if (!seen.add((long)i * columns + j))
            {
                continue;
            }
            double x = noise * random.nextGaussian();
            for (int k = 0; k < rank; k++)
            {
                x += w[i * rank + k] * h[j * rank + k];
            }
            final boolean toTest = (trainN + testN) % 10 == 9 && testN < testCount;
            final int set = toTest ? 1 : 0;
            final int n = toTest ? testN++ : trainN++;
            index[2 * set][n] = i;
            index[2 * set + 1][n] = j;
            values[set][n] = (float)x;
        }
        train = new Entries(rows, columns, index[0], index[1], values[0]);
        test = new Entries(rows, columns, index[2], index[3], values[1]);
    }

    private static float[] gaussian(final SplittableRandom random, final int n, final double scale)
    {
        final float[] v = new float[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = (float)(scale * random.nextGaussian());
        }
        return v;
    }
}
