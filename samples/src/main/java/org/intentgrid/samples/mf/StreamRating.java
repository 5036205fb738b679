package org.intentgrid.samples.mf;

import java.io.Serializable;

/**
 * One observed entry of the matrix in the stream, stamped with the time the generator produced it.
 *
 * @param row       row id
 * @param column    column id
 * @param value     the observed value
 * @param eventTime epoch milliseconds at which it was produced (for the end-to-end lag)
 */
record StreamRating(int row, int column, float value, long eventTime) implements Serializable
{
    /** @return the entry as the stream's map stores it (a {@code long[]}: Hazelcast's own array serializer) */
    static long[] encode(final int row, final int column, final float value, final long eventTime)
    {
        return new long[] {row, column, Float.floatToRawIntBits(value), eventTime};
    }

    /** @return the entry {@link #encode} stored */
    static StreamRating of(final long[] encoded)
    {
        return new StreamRating((int)encoded[0], (int)encoded[1], Float.intBitsToFloat((int)encoded[2]), encoded[3]);
    }
}
