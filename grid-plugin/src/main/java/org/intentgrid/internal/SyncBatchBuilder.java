package org.intentgrid.internal;

import org.agrona.collections.LongArrayList;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Collects one table's entries for one destination. */
final class SyncBatchBuilder
{
    final TableStore table;
    final LongArrayList keys = new LongArrayList();
    final List<float[]> deltas = new ArrayList<>();
    final LongArrayList versions = new LongArrayList();
    final List<Boolean> refresh = new ArrayList<>();
    boolean[] dropping = new boolean[8];
    int[] hops = new int[8];
    int size;

    SyncBatchBuilder(final TableStore table)
    {
        this.table = table;
    }

    void add(final long key, final boolean wantsRefresh, final float[] delta, final long version, final boolean drop)
    {
        add(key, wantsRefresh, delta, version, drop, 0);
    }

    void add(
        final long key, final boolean wantsRefresh, final float[] delta, final long version, final boolean drop,
        final int hop)
    {
        keys.addLong(key);
        deltas.add(delta);
        versions.addLong(version);
        refresh.add(wantsRefresh);
        if (size == dropping.length)
        {
            dropping = Arrays.copyOf(dropping, size * 2);
            hops = Arrays.copyOf(hops, size * 2);
        }
        hops[size] = hop;
        dropping[size++] = drop;
    }

    SyncBatch build()
    {
        final int length = table.valueLength();
        final byte[] flags = new byte[size];
        int deltaCount = 0;
        for (int i = 0; i < size; i++)
        {
            flags[i] = (byte)((refresh.get(i) ? SyncBatch.REFRESH : 0) | (deltas.get(i) != null ? SyncBatch.DELTA : 0));
            if (deltas.get(i) != null)
            {
                deltaCount++;
            }
        }
        final float[] packed = new float[deltaCount * length];
        int d = 0;
        for (int i = 0; i < size; i++)
        {
            if (deltas.get(i) != null)
            {
                System.arraycopy(deltas.get(i), 0, packed, d++ * length, length);
            }
        }
        return new SyncBatch(table.spec(), keys.toLongArray(), flags, packed, versions.toLongArray());
    }
}
