package org.intentgrid.internal;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardedLongSetTest
{
    /** Below G1's humongous threshold at the smallest region size (1 MiB regions, objects from 512 KiB on). */
    private static final int MAX_CAPACITY = 32_768;

    @Test
    void growsInShardsThatStayBelowTheHumongousThresholdAndLosesNoKey()
    {
        final ShardedLongSet set = new ShardedLongSet();
        final SplittableRandom random = new SplittableRandom(7);
        final long[] keys = new long[300_000];
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = random.nextLong();
            assertTrue(set.add(keys[i]));
            assertTrue(set.largestShardCapacity() <= MAX_CAPACITY,
                () -> "a shard grew to " + set.largestShardCapacity() + " longs at " + set.size() + " keys");
        }
        assertEquals(keys.length, set.size());
        for (final long key : keys)
        {
            assertTrue(set.contains(key));
            assertFalse(set.add(key));
        }
        final long[] copied = new long[keys.length + 1];
        assertEquals(keys.length, set.copyTo(copied, 1));
        final long[] sortedCopy = Arrays.copyOfRange(copied, 1, copied.length);
        Arrays.sort(sortedCopy);
        final long[] sortedKeys = keys.clone();
        Arrays.sort(sortedKeys);
        assertArrayEquals(sortedKeys, sortedCopy);
    }

    @Test
    void removeAndClearForgetKeys()
    {
        final ShardedLongSet set = new ShardedLongSet();
        for (long key = 0; key < 100_000; key++)
        {
            set.add(key);
        }
        for (long key = 0; key < 100_000; key += 2)
        {
            assertTrue(set.remove(key));
            assertFalse(set.remove(key));
        }
        assertEquals(50_000, set.size());
        assertFalse(set.contains(0));
        assertTrue(set.contains(1));
        set.clear();
        assertEquals(0, set.size());
        assertFalse(set.contains(1));
        assertTrue(set.add(1));
    }
}
