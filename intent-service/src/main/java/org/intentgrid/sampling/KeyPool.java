package org.intentgrid.sampling;

import org.agrona.collections.LongHashSet;
import org.intentgrid.Sampling;
import org.intentgrid.spi.SamplingCounters;

import java.util.SplittableRandom;

/**
 * The per-member key pool of the {@code pool} scheme, shared by the member's workers. Keys are handed out
 * in passes over the pool; every pass is a fresh shuffle, and after {@code reuse} passes the pool is drawn
 * anew. Every drawn key is therefore handed out exactly {@code reuse} times (the reference implementation
 * never reused its pool). Guarded by its own monitor: taking keys happens at prepare time, off the pull path.
 */
final class KeyPool
{
    private final Sampling sampling;
    private final SamplingCounters counters;
    private final SplittableRandom random;
    private final long[] keys;
    private final LongHashSet drawScratch = new LongHashSet();
    private final LongHashSet sampleScratch = new LongHashSet();
    private int cursor;
    private int passesLeft;

    KeyPool(final Sampling sampling, final SamplingCounters counters, final long seed)
    {
        this.sampling = sampling;
        this.counters = counters;
        this.random = new SplittableRandom(seed);
        this.keys = new long[sampling.poolSize()];
        this.cursor = keys.length;
    }

    /**
     * Fills {@code out} with the next keys of the pool; without replacement, keys already in {@code out} are
     * skipped (they come back in a later pass), which needs {@code out.length <= poolSize}.
     */
    synchronized void take(final long[] out)
    {
        final boolean distinct = !sampling.withReplacement();
        if (distinct)
        {
            sampleScratch.clear();
        }
        for (int i = 0; i < out.length; i++)
        {
            long key = nextKey();
            if (distinct)
            {
                while (!sampleScratch.add(key))
                {
                    key = nextKey();
                }
            }
            out[i] = key;
        }
    }

    private long nextKey()
    {
        if (cursor == keys.length)
        {
            if (passesLeft == 0)
            {
                Draws.fill(sampling.distribution(), random, keys, !sampling.withReplacement(), drawScratch);
                passesLeft = sampling.reuse();
                counters.poolRefreshed();
            }
            shuffle();
            passesLeft--;
            cursor = 0;
        }
        return keys[cursor++];
    }

    private void shuffle()
    {
        for (int i = keys.length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final long swap = keys[i];
            keys[i] = keys[j];
            keys[j] = swap;
        }
    }
}
