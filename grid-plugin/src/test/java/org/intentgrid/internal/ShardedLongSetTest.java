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
    /** Ints, well below G1's humongous threshold at the smallest region size (1 MiB regions, objects from 512 KiB). */
    private static final int MAX_CAPACITY = 32_768;

    @Test
    void growsInShardsThatStayBelowTheHumongousThresholdAndLosesNoKey()
    {
        final ShardedLongSet set = new ShardedLongSet();
        final SplittableRandom random = new SplittableRandom(7);
        final long[] keys = new long[300_000];
        // most keys below 2^32 (one segment, many shards), the rest spread over a few high halves and negative keys
        final long[] highs = {0, 1L << 32, 5L << 40, Long.MIN_VALUE, -1L << 32};
        for (int i = 0; i < keys.length; i++)
        {
            final long high = i % 4 == 0 ? highs[1 + random.nextInt(highs.length - 1)] : 0;
            long key;
            do
            {
                key = high | random.nextLong(1L << 32);
            }
            while (set.contains(key));
            keys[i] = key;
            assertTrue(set.add(keys[i]));
            assertTrue(set.largestShardCapacity() <= MAX_CAPACITY,
                () -> "a shard grew to " + set.largestShardCapacity() + " ints at " + set.size() + " keys");
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

    @Test
    void keysThatShareTheirLowHalfStayApart()
    {
        final ShardedLongSet set = new ShardedLongSet();
        final long[] keys = {0xFFFF_FFFFL, (7L << 32) | 0xFFFF_FFFFL, -1L, 0, 7L << 32, Long.MIN_VALUE, Long.MAX_VALUE};
        for (final long key : keys)
        {
            assertTrue(set.add(key), () -> "add " + Long.toHexString(key));
        }
        for (final long key : keys)
        {
            assertTrue(set.contains(key), () -> "contains " + Long.toHexString(key));
            assertFalse(set.contains(key ^ (1L << 33)), () -> "contains " + Long.toHexString(key ^ (1L << 33)));
        }
        final long[] copied = new long[keys.length];
        assertEquals(keys.length, set.copyTo(copied, 0));
        Arrays.sort(copied);
        final long[] sortedKeys = keys.clone();
        Arrays.sort(sortedKeys);
        assertArrayEquals(sortedKeys, copied);
        assertTrue(set.remove(-1L));
        assertFalse(set.contains(-1L));
        assertTrue(set.contains(0xFFFF_FFFFL));
        assertTrue(set.contains((7L << 32) | 0xFFFF_FFFFL));
        assertEquals(keys.length - 1, set.size());
    }
}
