package org.intentgrid.internal;

import java.util.Arrays;
import java.util.UUID;

/** The directory entries one home request changed, collected for the partition's backup operation. */
final class DirectoryChanges
{
    private static final int INITIAL_CAPACITY = 8;

    private final String table;
    private long[] keys = new long[INITIAL_CAPACITY];
    private UUID[] owners = new UUID[INITIAL_CAPACITY];
    private long[] counters = new long[INITIAL_CAPACITY];
    private int size;

    DirectoryChanges(final String table)
    {
        this.table = table;
    }

    void add(final long key, final UUID owner, final long counter)
    {
        if (size == keys.length)
        {
            keys = Arrays.copyOf(keys, size * 2);
            owners = Arrays.copyOf(owners, size * 2);
            counters = Arrays.copyOf(counters, size * 2);
        }
        keys[size] = key;
        owners[size] = owner;
        counters[size++] = counter;
    }

    /** @return the changes as a backup chunk, or null if nothing changed */
    DirectoryChunk toChunkOrNull()
    {
        return size == 0 ? null : new DirectoryChunk(table, Arrays.copyOf(keys, size), Arrays.copyOf(owners, size),
            Arrays.copyOf(counters, size));
    }
}
