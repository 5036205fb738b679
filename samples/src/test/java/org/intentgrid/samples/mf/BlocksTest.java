package org.intentgrid.samples.mf;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlocksTest
{
    /** Entry ids drawn Zipf-like (id 0 most frequent), as the generated matrices draw rows and columns. */
    private static int[] skewedIds(final int count, final int entries, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] ids = new int[entries];
        for (int e = 0; e < entries; e++)
        {
            ids[e] = (int)Math.min(count - 1, Math.floor(Math.pow(count, random.nextDouble())) - 1);
        }
        return ids;
    }

    private static long[] loads(final int[] ids, final int[] blockOf, final int blocks)
    {
        final long[] load = new long[blocks];
        for (final int id : ids)
        {
            load[blockOf[id]]++;
        }
        return load;
    }

    @Test
    void balancesSkewedEntryCountsWhereModuloDoesNot()
    {
        final int count = 2_000;
        final int[] ids = skewedIds(count, 200_000, 7);
        for (final int blocks : new int[] {2, 3, 4})
        {
            final long[] balanced = loads(ids, Blocks.assign(ids, count, blocks), blocks);
            final int[] modulo = new int[count];
            for (int id = 0; id < count; id++)
            {
                modulo[id] = id % blocks;
            }
            final long[] byModulo = loads(ids, modulo, blocks);
            final double balancedSpread = spread(balanced);
            assertTrue(balancedSpread < 1.01, blocks + " blocks: max/min load " + balancedSpread);
            assertTrue(spread(byModulo) > 1.1, "the workload must be skewed enough to tell: " + spread(byModulo));
        }
    }

    private static double spread(final long[] load)
    {
        long max = 0;
        long min = Long.MAX_VALUE;
        for (final long l : load)
        {
            max = Math.max(max, l);
            min = Math.min(min, l);
        }
        return (double)max / min;
    }

    @Test
    void everyIdGetsOneBlockAndKeysOfListsThemAscending()
    {
        final int[] ids = {0, 0, 0, 1, 2, 2, 4};
        final int[] blockOf = Blocks.assign(ids, 5, 2);
        assertEquals(5, blockOf.length);
        assertArrayEquals(blockOf, Blocks.assign(ids, 5, 2), "deterministic");
        int listed = 0;
        for (int b = 0; b < 2; b++)
        {
            final long[] keys = Blocks.keysOf(blockOf, b);
            for (int i = 0; i < keys.length; i++)
            {
                assertEquals(b, blockOf[(int)keys[i]]);
                assertTrue(i == 0 || keys[i - 1] < keys[i]);
            }
            listed += keys.length;
        }
        assertEquals(5, listed, "id 3 has no entries but still belongs to a block");
        assertEquals(0, blockOf[0], "the most frequent id goes first, to block 0");
    }
}
