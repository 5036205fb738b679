package org.intentgrid.internal;

import org.agrona.collections.LongHashSet;
import org.intentgrid.Hashing;

/**
 * A set of primitive longs split into shards by hash, each kept small enough that its backing array stays below
 * G1's humongous-object threshold (half a heap region, at least 512 KiB). One big {@link LongHashSet} of a few
 * hundred thousand keys gets a humongous region of its own, rounded up to whole regions: at 10M keys over 271
 * partitions that wasted 13 bytes of heap per key, more than the keys themselves. The shard count doubles once the
 * keys outgrow it. Not thread-safe.
 */
final class ShardedLongSet
{
    /**
     * Average keys per shard before the shards double: at load 0.9 a shard of this many keys (and the few hundred
     * more an uneven hash gives one shard) has a backing array of 32,768 longs (256 KiB).
     */
    static final int SHARD_KEYS = 24_576;
    private static final float LOAD_FACTOR = 0.9f;

    private LongHashSet[] shards = {newShard(LongHashSet.DEFAULT_INITIAL_CAPACITY)};
    private int shift = Long.SIZE;
    private int size;

    boolean contains(final long key)
    {
        return shardOf(key).contains(key);
    }

    /** @return true if {@code key} was not in the set */
    boolean add(final long key)
    {
        if (!shardOf(key).add(key))
        {
            return false;
        }
        if (++size > shards.length * SHARD_KEYS)
        {
            doubleShards();
        }
        return true;
    }

    /** @return true if {@code key} was in the set */
    boolean remove(final long key)
    {
        if (!shardOf(key).remove(key))
        {
            return false;
        }
        size--;
        return true;
    }

    void clear()
    {
        shards = new LongHashSet[] {newShard(LongHashSet.DEFAULT_INITIAL_CAPACITY)};
        shift = Long.SIZE;
        size = 0;
    }

    int size()
    {
        return size;
    }

    /** @return the longest backing array of a shard, in longs: it decides whether G1 treats it as humongous */
    int largestShardCapacity()
    {
        int largest = 0;
        for (final LongHashSet shard : shards)
        {
            largest = Math.max(largest, shard.capacity());
        }
        return largest;
    }

    /**
     * Copies every key into {@code dst} from {@code offset} on.
     *
     * @return the number of keys copied ({@link #size()})
     */
    int copyTo(final long[] dst, final int offset)
    {
        int at = offset;
        for (final LongHashSet shard : shards)
        {
            final LongHashSet.LongIterator keys = shard.iterator();
            while (keys.hasNext())
            {
                dst[at++] = keys.nextValue();
            }
        }
        return at - offset;
    }

    private LongHashSet shardOf(final long key)
    {
        // the high bits of the mix pick the shard; LongHashSet probes from the low bits of its own hash
        return shift == Long.SIZE ? shards[0] : shards[(int)(Hashing.mix64(key) >>> shift)];
    }

    private void doubleShards()
    {
        final LongHashSet[] old = shards;
        final LongHashSet[] doubled = new LongHashSet[old.length * 2];
        for (int i = 0; i < doubled.length; i++)
        {
            doubled[i] = newShard(SHARD_KEYS / 2);
        }
        shards = doubled;
        shift--;
        for (final LongHashSet shard : old)
        {
            final LongHashSet.LongIterator keys = shard.iterator();
            while (keys.hasNext())
            {
                final long key = keys.nextValue();
                shardOf(key).add(key);
            }
        }
    }

    private static LongHashSet newShard(final int expectedKeys)
    {
        return new LongHashSet(expectedKeys, LOAD_FACTOR);
    }
}
