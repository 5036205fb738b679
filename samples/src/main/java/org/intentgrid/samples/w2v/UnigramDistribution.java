package org.intentgrid.samples.w2v;

import org.intentgrid.KeyDistribution;

import java.util.random.RandomGenerator;

/**
 * word2vec's negative-sampling distribution, word frequency to the power 0.75, drawn in constant time by Vose's
 * alias method. Immutable, so safe for all workers at once.
 */
final class UnigramDistribution implements KeyDistribution
{
    private final double[] probability;
    private final int[] alias;

    UnigramDistribution(final long[] counts, final double power)
    {
        final int n = counts.length;
        final double[] weight = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            weight[i] = Math.pow(counts[i], power);
            total += weight[i];
        }
        probability = new double[n];
        alias = new int[n];
        final int[] small = new int[n];
        final int[] large = new int[n];
        int smallCount = 0;
        int largeCount = 0;
        final double[] scaled = new double[n];
        for (int i = 0; i < n; i++)
        {
            scaled[i] = weight[i] * n / total;
            if (scaled[i] < 1)
            {
                small[smallCount++] = i;
            }
            else
            {
                large[largeCount++] = i;
            }
        }
        while (smallCount > 0 && largeCount > 0)
        {
            final int less = small[--smallCount];
            final int more = large[--largeCount];
            probability[less] = scaled[less];
            alias[less] = more;
            scaled[more] = scaled[more] + scaled[less] - 1;
            if (scaled[more] < 1)
            {
                small[smallCount++] = more;
            }
            else
            {
                large[largeCount++] = more;
            }
        }
        while (largeCount > 0)
        {
            probability[large[--largeCount]] = 1;
        }
        while (smallCount > 0)
        {
            probability[small[--smallCount]] = 1;
        }
    }

    @Override
    public long draw(final RandomGenerator random)
    {
        final int column = random.nextInt(probability.length);
        return random.nextDouble() < probability[column] ? column : alias[column];
    }

    @Override
    public long minKey()
    {
        return 0;
    }

    @Override
    public long maxKey()
    {
        return probability.length;
    }
}
