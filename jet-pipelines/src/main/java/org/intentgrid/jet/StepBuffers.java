package org.intentgrid.jet;

import java.util.Arrays;

/**
 * Arrays of a training step kept for the next one: the grid's calls take arrays of exactly the step's length, and
 * steps of a stream mostly have the same shape, so an array is replaced only when the length it must have changes.
 */
final class StepBuffers
{
    private long[][] keys = new long[0][];
    private float[][] values = new float[0][];
    private float[][] updates = new float[0][];

    /** @return array {@code index} of keys, of exactly {@code length} (contents undefined) */
    long[] keys(final int index, final int length)
    {
        if (index >= keys.length)
        {
            keys = Arrays.copyOf(keys, index + 1);
        }
        if (keys[index] == null || keys[index].length != length)
        {
            keys[index] = new long[length];
        }
        return keys[index];
    }

    /** @return array {@code index} of values, of exactly {@code length} (contents undefined) */
    float[] values(final int index, final int length)
    {
        if (index >= values.length)
        {
            values = Arrays.copyOf(values, index + 1);
        }
        if (values[index] == null || values[index].length != length)
        {
            values[index] = new float[length];
        }
        return values[index];
    }

    /** @return array {@code index} of updates, of exactly {@code length}, all zero */
    float[] updates(final int index, final int length)
    {
        if (index >= updates.length)
        {
            updates = Arrays.copyOf(updates, index + 1);
        }
        if (updates[index] == null || updates[index].length != length)
        {
            updates[index] = new float[length];
        }
        else
        {
            Arrays.fill(updates[index], 0f);
        }
        return updates[index];
    }
}
