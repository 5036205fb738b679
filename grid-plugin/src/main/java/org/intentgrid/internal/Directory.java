package org.intentgrid.internal;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The home directory: for each key whose home partition this member holds (as owner or backup), the
 * member that owns the key's main copy and the relocation counter of that ownership.
 * <p>
 * A key without an entry has never been materialized anywhere. Entries are created and changed only by
 * operations running on the partition's thread at the partition owner, and travel with the partition
 * through Hazelcast's migration and backup hooks, so two members can never both believe they materialized
 * a key. Each partition is guarded by its own monitor so that other threads may read it.
 */
final class Directory
{
    /** Owner and relocation counter of one key. */
    static final class Entry
    {
        UUID owner;
        long counter;

        Entry(final UUID owner, final long counter)
        {
            this.owner = owner;
            this.counter = counter;
        }

        /** @return the owning member */
        UUID owner()
        {
            return owner;
        }

        /** @return the relocation counter */
        long counter()
        {
            return counter;
        }
    }

    private final Partition[] partitions;

    Directory(final int partitionCount)
    {
        partitions = new Partition[partitionCount];
        for (int i = 0; i < partitionCount; i++)
        {
            partitions[i] = new Partition();
        }
    }

    /** @return the entry of a key in a partition held here, or null */
    Entry get(final int partition, final String table, final long key)
    {
        final Partition p = partitions[partition];
        synchronized (p)
        {
            final Long2ObjectHashMap<Entry> entries = p.tables.get(table);
            return entries == null ? null : entries.get(key);
        }
    }

    /** Records an ownership if it is newer than the known one (relocation notices may overtake each other). */
    boolean putIfNewer(final int partition, final String table, final long key, final UUID owner, final long counter)
    {
        final Partition p = partitions[partition];
        synchronized (p)
        {
            final Long2ObjectHashMap<Entry> entries = p.tables.computeIfAbsent(table, t -> new Long2ObjectHashMap<>());
            final Entry entry = entries.get(key);
            if (entry == null)
            {
                entries.put(key, new Entry(owner, counter));
                return true;
            }
            if (counter > entry.counter)
            {
                entry.owner = owner;
                entry.counter = counter;
                return true;
            }
            return false;
        }
    }

    /** Applies backup or migration data: entries are taken as given where newer. */
    void apply(final int partition, final DirectoryChunk chunk)
    {
        for (int i = 0; i < chunk.keys.length; i++)
        {
            putIfNewer(partition, chunk.table, chunk.keys[i], chunk.owners[i], chunk.counters[i]);
        }
    }

    /** @return all entries of a partition, one chunk per table */
    List<DirectoryChunk> snapshot(final int partition)
    {
        final Partition p = partitions[partition];
        synchronized (p)
        {
            final List<DirectoryChunk> chunks = new ArrayList<>(p.tables.size());
            for (final Map.Entry<String, Long2ObjectHashMap<Entry>> table : p.tables.entrySet())
            {
                final Long2ObjectHashMap<Entry> entries = table.getValue();
                final long[] keys = new long[entries.size()];
                final UUID[] owners = new UUID[keys.length];
                final long[] counters = new long[keys.length];
                int i = 0;
                final Long2ObjectHashMap<Entry>.EntryIterator it = entries.entrySet().iterator();
                for (; it.hasNext(); i++)
                {
                    it.next();
                    keys[i] = it.getLongKey();
                    owners[i] = it.getValue().owner;
                    counters[i] = it.getValue().counter;
                }
                chunks.add(new DirectoryChunk(table.getKey(), keys, owners, counters));
            }
            return chunks;
        }
    }

    /** Drops a partition's entries (it migrated away, or a migration to here was rolled back). */
    void clear(final int partition)
    {
        final Partition p = partitions[partition];
        synchronized (p)
        {
            p.tables.clear();
        }
    }

    /** Replaces a partition's entries with migrated ones. */
    void replace(final int partition, final List<DirectoryChunk> chunks)
    {
        clear(partition);
        for (final DirectoryChunk chunk : chunks)
        {
            apply(partition, chunk);
        }
    }

    private static final class Partition
    {
        final Map<String, Long2ObjectHashMap<Entry>> tables = new HashMap<>();
    }
}
