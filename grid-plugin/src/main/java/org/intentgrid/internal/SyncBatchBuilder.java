package org.intentgrid.internal;

import org.agrona.collections.LongArrayList;

import java.util.Arrays;

/**
 * Collects one table's entries for one destination. Deltas are copied into one growing array as they are added
 * (a round allocates per batch, not per key); the array stays readable until the round's answer was applied,
 * for deltas that missed their owner.
 */
final class SyncBatchBuilder
{
    private static final int MIN_CAPACITY = 8;

    final TableStore table;
    final LongArrayList keys;
    final LongArrayList versions;
    /** Per entry: the key's slot at the round's step, for the answer ({@link Stripe#slotOf(long, int)}). */
    int[] slots;
    /** Per entry: where its delta starts in {@link #deltaValues}, or -1 without a delta. */
    int[] deltaOffset;
    boolean[] refresh;
    boolean[] brief;
    boolean[] dropping;
    int[] hops;
    /** Never written once the round's message is built: the kept copies of unconfirmed deltas point into it. */
    float[] deltaValues;
    int size;
    private final int length;
    private int deltaCount;

    SyncBatchBuilder(final TableStore table)
    {
        this(table, MIN_CAPACITY, MIN_CAPACITY);
    }

    /**
     * @param entries entries to make room for up front: a hot replica set sends about as many every round, and
     *                growing to ~1,000 entries of 1.6 KB deltas from a small array copied each delta ~2 more times
     * @param deltas  deltas among them to make room for
     */
    SyncBatchBuilder(final TableStore table, final int entries, final int deltas)
    {
        this.table = table;
        this.length = table.valueLength();
        final int capacity = Math.max(MIN_CAPACITY, entries);
        this.keys = new LongArrayList(capacity, Long.MIN_VALUE);
        this.versions = new LongArrayList(capacity, Long.MIN_VALUE);
        this.deltaOffset = new int[capacity];
        this.slots = new int[capacity];
        this.refresh = new boolean[capacity];
        this.brief = new boolean[capacity];
        this.dropping = new boolean[capacity];
        this.hops = new int[capacity];
        this.deltaValues = new float[Math.max(MIN_CAPACITY, deltas) * length];
    }

    /** @return entries added with a delta */
    int deltaCount()
    {
        return deltaCount;
    }

    /** @param delta the entry's delta at {@code deltaAt} ({@code length} floats), or null */
    void add(
        final long key, final int slot, final boolean wantsRefresh, final boolean briefUse, final float[] delta,
        final int deltaAt, final long version, final boolean drop)
    {
        add(key, slot, wantsRefresh, briefUse, delta, deltaAt, version, drop, 0);
    }

    void add(
        final long key, final int slot, final boolean wantsRefresh, final boolean briefUse, final float[] delta,
        final int deltaAt, final long version, final boolean drop, final int hop)
    {
        keys.addLong(key);
        versions.addLong(version);
        if (size == dropping.length)
        {
            dropping = Arrays.copyOf(dropping, size * 2);
            refresh = Arrays.copyOf(refresh, size * 2);
            brief = Arrays.copyOf(brief, size * 2);
            deltaOffset = Arrays.copyOf(deltaOffset, size * 2);
            hops = Arrays.copyOf(hops, size * 2);
            slots = Arrays.copyOf(slots, size * 2);
        }
        if (delta == null)
        {
            deltaOffset[size] = -1;
        }
        else
        {
            final int at = deltaCount * length;
            if (deltaValues.length < at + length)
            {
                deltaValues = Arrays.copyOf(deltaValues, Math.max(at + length, deltaValues.length * 2));
            }
            System.arraycopy(delta, deltaAt, deltaValues, at, length);
            deltaOffset[size] = at;
            deltaCount++;
        }
        refresh[size] = wantsRefresh;
        brief[size] = briefUse;
        hops[size] = hop;
        slots[size] = slot;
        dropping[size++] = drop;
    }

    SyncBatch build()
    {
        final byte[] flags = new byte[size];
        for (int i = 0; i < size; i++)
        {
            flags[i] = (byte)((refresh[i] ? SyncBatch.REFRESH : 0) | (brief[i] ? SyncBatch.BRIEF : 0) |
                (deltaOffset[i] >= 0 ? SyncBatch.DELTA : 0));
        }
        return new SyncBatch(table.spec(), keys.toLongArray(), flags, Arrays.copyOf(deltaValues, deltaCount * length),
            versions.toLongArray());
    }
}
