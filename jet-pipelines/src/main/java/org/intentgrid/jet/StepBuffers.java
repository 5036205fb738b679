package org.intentgrid.jet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Arrays of a training step kept for the next one: the grid's calls take arrays of exactly the step's length, and
 * steps of a stream mostly have the same shape, so an array is replaced only when the length it must have changes.
 */
final class StepBuffers
{
    private final List<long[]> keys = new ArrayList<>();
    private final List<float[]> values = new ArrayList<>();
    private final List<float[]> updates = new ArrayList<>();

    /** @return array {@code index} of keys, of exactly {@code length} (contents undefined) */
    long[] keys(final int index, final int length)
    {
        while (keys.size() <= index)
        {
            keys.add(null);
        }
        long[] array = keys.get(index);
        if (array == null || array.length != length)
        {
            array = new long[length];
            keys.set(index, array);
        }
        return array;
    }

    /** @return array {@code index} of values, of exactly {@code length} (contents undefined) */
    float[] values(final int index, final int length)
    {
        return floats(values, index, length);
    }

    /** @return array {@code index} of updates, of exactly {@code length}, all zero */
    float[] updates(final int index, final int length)
    {
        final float[] array = floats(updates, index, length);
        Arrays.fill(array, 0f);
        return array;
    }

    private static float[] floats(final List<float[]> arrays, final int index, final int length)
    {
        while (arrays.size() <= index)
        {
            arrays.add(null);
        }
        float[] array = arrays.get(index);
        if (array == null || array.length != length)
        {
            array = new float[length];
            arrays.set(index, array);
        }
        return array;
    }
}
