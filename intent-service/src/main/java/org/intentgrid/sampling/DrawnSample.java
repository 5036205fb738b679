package org.intentgrid.sampling;

import org.intentgrid.spi.PreparedSample;

/** A sample whose keys were fixed at prepare time; the caller pulls all of them. */
final class DrawnSample implements PreparedSample
{
    private final long[] keys;
    private int next;

    DrawnSample(final long[] keys)
    {
        this.keys = keys;
    }

    @Override
    public int next(final long[] keysOut, final int count, final float[] valuesOut, final int[] unserved)
    {
        System.arraycopy(keys, next, keysOut, 0, count);
        next += count;
        for (int i = 0; i < count; i++)
        {
            unserved[i] = i;
        }
        return count;
    }
}
