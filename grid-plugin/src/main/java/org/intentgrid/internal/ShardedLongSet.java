package org.intentgrid.internal;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;
import org.intentgrid.Hashing;

/**
 * A set of primitive longs kept as 32-bit ints: keys are grouped by their high 32 bits into segments (a table of
 * fewer than 2^32 keys has one), and a segment keeps the low 32 bits of its keys, which halves the heap a key costs
 * (4-9 bytes at the loads a shard runs at, instead of 9-18 for longs). A segment is split into shards by hash, each
 * kept small enough that its backing array stays below G1's humongous-object threshold (half a heap region, at
 * least 512 KiB): one big hash set of a few hundred thousand keys gets a humongous region of its own, rounded up to
 * whole regions, which at 10M keys over 271 partitions wasted 13 bytes of heap per key. A segment's shard count
 * doubles once its keys outgrow it. Not thread-safe.
 */
final class ShardedLongSet
{
    /**
     * Average keys per shard before a segment's shards double: at load 0.9 a shard of this many keys (and the few
     * hundred more an uneven hash gives one shard) has a backing array of 32,768 ints (128 KiB).
     */
    static final int SHARD_KEYS = 24_576;
    private static final float LOAD_FACTOR = 0.9f;
    private static final long LOW_BITS = 0xFFFF_FFFFL;

    /** The segment of keys below 2^32 (every key of most tables), kept out of {@link #segments} for speed. */
    private Segment first;
    /** The segments of keys at or above 2^32 (or negative), by their high 32 bits. */
    private final Int2ObjectHashMap<Segment> segments = new Int2ObjectHashMap<>();

    boolean contains(final long key)
    {
        final Segment segment = segmentOf(key);
        return segment != null && segment.contains((int)key);
    }

    /** @return true if {@code key} was not in the set */
    boolean add(final long key)
    {
        final int high = highBitsOf(key);
        Segment segment = segmentOf(key);
        if (segment == null)
        {
            segment = new Segment();
            if (high == 0)
            {
                first = segment;
            }
            else
            {
                segments.put(high, segment);
            }
        }
        return segment.add((int)key);
    }

    /** @return true if {@code key} was in the set */
    boolean remove(final long key)
    {
        final Segment segment = segmentOf(key);
        return segment != null && segment.remove((int)key);
    }

    void clear()
    {
        first = null;
        segments.clear();
    }

    int size()
    {
        int size = first == null ? 0 : first.size;
        for (final Segment segment : segments.values())
        {
            size += segment.size;
        }
        return size;
    }

    /** @return the longest backing array of a shard, in ints: it decides whether G1 treats it as humongous */
    int largestShardCapacity()
    {
        int largest = first == null ? 0 : first.largestShardCapacity();
        for (final Segment segment : segments.values())
        {
            largest = Math.max(largest, segment.largestShardCapacity());
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
        if (first != null)
        {
            at = first.copyTo(0, dst, at);
        }
        final Int2ObjectHashMap<Segment>.EntryIterator it = segments.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            at = it.getValue().copyTo(it.getIntKey(), dst, at);
        }
        return at - offset;
    }

    private static int highBitsOf(final long key)
    {
        return (int)(key >>> Integer.SIZE);
    }

    private Segment segmentOf(final long key)
    {
        final int high = highBitsOf(key);
        return high == 0 ? first : segments.get(high);
    }

    /** The keys of one value of the high 32 bits, as their low 32 bits, in shards. */
    private static final class Segment
    {
        private IntHashSet[] shards = {newShard(IntHashSet.DEFAULT_INITIAL_CAPACITY)};
        private int shift = Long.SIZE;
        private int size;

        boolean contains(final int low)
        {
            return shardOf(low).contains(low);
        }

        boolean add(final int low)
        {
            if (!shardOf(low).add(low))
            {
                return false;
            }
            if (++size > shards.length * SHARD_KEYS)
            {
                doubleShards();
            }
            return true;
        }

        boolean remove(final int low)
        {
            if (!shardOf(low).remove(low))
            {
                return false;
            }
            size--;
            return true;
        }

        int largestShardCapacity()
        {
            int largest = 0;
            for (final IntHashSet shard : shards)
            {
                largest = Math.max(largest, shard.capacity());
            }
            return largest;
        }

        /** Copies the keys (high 32 bits {@code high}) into {@code dst} from {@code at}: @return the end */
        int copyTo(final int high, final long[] dst, final int at)
        {
            final long highBits = (long)high << Integer.SIZE;
            int end = at;
            for (final IntHashSet shard : shards)
            {
                final IntHashSet.IntIterator lows = shard.iterator();
                while (lows.hasNext())
                {
                    dst[end++] = highBits | (lows.nextValue() & LOW_BITS);
                }
            }
            return end;
        }

        private IntHashSet shardOf(final int low)
        {
            // the high bits of the mix pick the shard; IntHashSet probes from the low bits of its own hash
            return shift == Long.SIZE ? shards[0] : shards[(int)(Hashing.mix64(low & LOW_BITS) >>> shift)];
        }

        private void doubleShards()
        {
            final IntHashSet[] old = shards;
            final IntHashSet[] doubled = new IntHashSet[old.length * 2];
            for (int i = 0; i < doubled.length; i++)
            {
                doubled[i] = newShard(SHARD_KEYS / 2);
            }
            shards = doubled;
            shift--;
            for (final IntHashSet shard : old)
            {
                final IntHashSet.IntIterator lows = shard.iterator();
                while (lows.hasNext())
                {
                    final int low = lows.nextValue();
                    shardOf(low).add(low);
                }
            }
        }

        private static IntHashSet newShard(final int expectedKeys)
        {
            return new IntHashSet(expectedKeys, LOAD_FACTOR);
        }
    }
}
