package org.intentgrid.samples.mf;

import java.util.Arrays;

/**
 * Balanced DSGD blocks: rows (or columns) are assigned to blocks so that each block holds about the same number
 * of training entries. Assigning by id modulo the block count would put the most frequent ids of a Zipf-skewed
 * matrix into the same few blocks, and every sub-epoch would then wait at its barrier for the worker that drew
 * the heavy block.
 */
final class Blocks
{
    private Blocks()
    {
    }

    /**
     * Greedy longest-processing-time assignment: ids by descending entry count, each to the block with the fewest
     * entries so far (ties to the lower block, so the result is deterministic).
     *
     * @param ids    the row (or column) id of every entry
     * @param count  number of distinct ids, {@code 0 <= id < count}
     * @param blocks number of blocks
     * @return the block of each id
     */
    static int[] assign(final int[] ids, final int count, final int blocks)
    {
        final long[] frequencyAndId = new long[count];
        for (final int id : ids)
        {
            frequencyAndId[id] += 1L << 32;
        }
        for (int id = 0; id < count; id++)
        {
            // ascending sort of (frequency, -id) read backwards gives descending frequency, ascending id
            frequencyAndId[id] |= Integer.MAX_VALUE - id;
        }
        Arrays.sort(frequencyAndId);
        final long[] load = new long[blocks];
        final int[] blockOf = new int[count];
        for (int i = count - 1; i >= 0; i--)
        {
            final int id = Integer.MAX_VALUE - (int)(frequencyAndId[i] & 0xFFFF_FFFFL);
            int lightest = 0;
            for (int b = 1; b < blocks; b++)
            {
                if (load[b] < load[lightest])
                {
                    lightest = b;
                }
            }
            blockOf[id] = lightest;
            load[lightest] += frequencyAndId[i] >>> 32;
        }
        return blockOf;
    }

    /** @return the ids assigned to {@code block}, ascending */
    static long[] keysOf(final int[] blockOf, final int block)
    {
        int n = 0;
        for (final int b : blockOf)
        {
            if (b == block)
            {
                n++;
            }
        }
        final long[] keys = new long[n];
        int k = 0;
        for (int id = 0; id < blockOf.length; id++)
        {
            if (blockOf[id] == block)
            {
                keys[k++] = id;
            }
        }
        return keys;
    }
}
