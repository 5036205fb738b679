package org.intentgrid.internal;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The home directory: for each key whose home partition this member holds (as owner or backup), the
 * member that owns the key's main copy and the relocation counter of that ownership.
 * <p>
 * A key without an entry has never been materialized anywhere. Entries are created and changed only by
 * operations running on the partition's thread at the partition owner, and travel with the partition
 * through Hazelcast's migration and backup hooks, so two members can never both believe they materialized
 * a key. Each partition is guarded by its own monitor so that other threads may read it.
 * <p>
 * Most keys never move: they stay where their home materialized them, at relocation counter 0. Those are kept as
 * bare keys in a primitive set per materializing member (32-bit ints, 4-9 bytes of heap per key,
 * {@link ShardedLongSet}); only keys that moved get an entry object with owner and counter.
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
    /** Dropped tables: late backups or notices for them must not bring entries back. */
    private final Set<String> dropped = ConcurrentHashMap.newKeySet();
    /**
     * Members that were lost and whose main copies were recovered elsewhere: an entry that still names one belongs
     * to a key that had no backup, and the home may create it afresh.
     */
    private final Set<UUID> lost = ConcurrentHashMap.newKeySet();

    Directory(final int partitionCount)
    {
        partitions = new Partition[partitionCount];
        for (int i = 0; i < partitionCount; i++)
        {
            partitions[i] = new Partition();
        }
    }

    /**
     * Forgets every entry naming {@code member} (its keys were recovered, the rest start again from their
     * initializers at their homes), and any that arrive later from a backup or a migration. Partitions that migrate
     * from here afterwards carry no such entry, so a member that joins later needs to know nothing of the loss.
     */
    void ownerLost(final UUID member)
    {
        lost.add(member);
        for (final Partition p : partitions)
        {
            synchronized (p)
            {
                for (final TableEntries entries : p.tables.values())
                {
                    entries.forget(member);
                }
            }
        }
    }

    /** @return true if entries naming {@code member} are void */
    boolean isLost(final UUID member)
    {
        return lost.contains(member);
    }

    /** @return the members whose entries are void here ({@link #ownerLost}), for a partition's replication */
    UUID[] lostOwners()
    {
        return lost.toArray(new UUID[0]);
    }

    /** @return the entry of a key in a partition held here, or null */
    Entry get(final int partition, final String table, final long key)
    {
        final Partition p = partitions[partition];
        synchronized (p)
        {
            final TableEntries entries = p.tables.get(table);
            return entries == null ? null : entries.get(key);
        }
    }

    /** Records an ownership if it is newer than the known one (relocation notices may overtake each other). */
    boolean putIfNewer(final int partition, final String table, final long key, final UUID owner, final long counter)
    {
        final Partition p = partitions[partition];
        synchronized (p)
        {
            return !dropped.contains(table) && !lost.contains(owner) &&
                p.tables.computeIfAbsent(table, t -> new TableEntries()).putIfNewer(key, owner, counter);
        }
    }

    /**
     * The first touch of a key at its home, in one look-up of its entries: records {@code owner} as the key's first
     * holder (relocation counter 0) if the key has no entry. Records nothing for a dropped table or a lost owner
     * ({@link #putIfNewer} would not either).
     *
     * @return null if the key had no entry (it is now recorded), else its entry
     */
    Entry recordFirst(final int partition, final String table, final long key, final UUID owner)
    {
        final Partition p = partitions[partition];
        synchronized (p)
        {
            if (dropped.contains(table) || lost.contains(owner))
            {
                return get(partition, table, key);
            }
            return p.tables.computeIfAbsent(table, t -> new TableEntries()).recordFirst(key, owner);
        }
    }

    /** Takes back a {@link #recordFirst} whose key could not be created after all (its member had no room). */
    void forgetFirst(final int partition, final String table, final long key, final UUID owner)
    {
        final Partition p = partitions[partition];
        synchronized (p)
        {
            final TableEntries entries = p.tables.get(table);
            if (entries != null)
            {
                entries.forgetFirst(key, owner);
            }
        }
    }

    /** Applies backup or migration data: entries are taken as given where newer. */
    void apply(final int partition, final DirectoryChunk chunk)
    {
        final Partition p = partitions[partition];
        synchronized (p)
        {
            if (dropped.contains(chunk.table))
            {
                return;
            }
            final TableEntries entries = p.tables.computeIfAbsent(chunk.table, t -> new TableEntries());
            for (int i = 0; i < chunk.keys.length; i++)
            {
                if (!lost.contains(chunk.owners[i]))
                {
                    entries.putIfNewer(chunk.keys[i], chunk.owners[i], chunk.counters[i]);
                }
            }
        }
    }

    /** @return all entries of a partition, one chunk per table */
    List<DirectoryChunk> snapshot(final int partition)
    {
        final Partition p = partitions[partition];
        synchronized (p)
        {
            final List<DirectoryChunk> chunks = new ArrayList<>(p.tables.size());
            for (final Map.Entry<String, TableEntries> table : p.tables.entrySet())
            {
                chunks.add(table.getValue().snapshot(table.getKey()));
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

    /** @return keys of {@code table} the partition's entries record */
    long count(final int partition, final String table)
    {
        final Partition p = partitions[partition];
        synchronized (p)
        {
            final TableEntries entries = p.tables.get(table);
            return entries == null ? 0 : entries.size();
        }
    }

    /** Forgets a dropped table's entries in every partition, and any that arrive for it later. */
    void dropTable(final String table)
    {
        dropped.add(table);
        for (final Partition p : partitions)
        {
            synchronized (p)
            {
                p.tables.remove(table);
            }
        }
    }

    /**
     * Replaces a partition's entries with migrated ones. {@code lostOwners} are the members the sender knew were
     * lost and recovered: a member that joined after a loss missed its announcement, and other partitions may have
     * reached it from members that had not heard of it yet, so it voids their entries here too.
     */
    void replace(final int partition, final List<DirectoryChunk> chunks, final UUID[] lostOwners)
    {
        for (final UUID owner : lostOwners)
        {
            if (!lost.contains(owner))
            {
                ownerLost(owner);
            }
        }
        clear(partition);
        for (final DirectoryChunk chunk : chunks)
        {
            apply(partition, chunk);
        }
    }

    private static final class Partition
    {
        final Map<String, TableEntries> tables = new HashMap<>();
    }

    /** One table's entries in one partition. Guarded by the partition's monitor. */
    private static final class TableEntries
    {
        /** Keys that moved at least once (counter above 0). */
        private final Long2ObjectHashMap<Entry> moved = new Long2ObjectHashMap<>();
        /** Members that materialized keys that never moved, and those keys. */
        private UUID[] materializers = new UUID[0];
        private ShardedLongSet[] unmoved = new ShardedLongSet[0];

        Entry get(final long key)
        {
            final Entry entry = moved.get(key);
            if (entry != null)
            {
                return entry;
            }
            final int unmovedAt = unmovedIndexOf(key);
            return unmovedAt < 0 ? null : new Entry(materializers[unmovedAt], 0);
        }

        boolean putIfNewer(final long key, final UUID owner, final long counter)
        {
            final Entry known = moved.get(key);
            if (known != null)
            {
                if (counter <= known.counter)
                {
                    return false;
                }
                known.owner = owner;
                known.counter = counter;
                return true;
            }
            final int unmovedAt = unmovedIndexOf(key);
            if (unmovedAt >= 0 && counter == 0)
            {
                return false;
            }
            if (unmovedAt >= 0)
            {
                unmoved[unmovedAt].remove(key);
            }
            if (counter == 0)
            {
                unmovedOf(owner).add(key);
            }
            else
            {
                moved.put(key, new Entry(owner, counter));
            }
            return true;
        }

        Entry recordFirst(final long key, final UUID owner)
        {
            final Entry known = moved.get(key);
            if (known != null)
            {
                return known;
            }
            for (int i = 0; i < unmoved.length; i++)
            {
                // the owner's own set is asked once, by the add below
                if (!materializers[i].equals(owner) && unmoved[i].contains(key))
                {
                    return new Entry(materializers[i], 0);
                }
            }
            return unmovedOf(owner).add(key) ? null : new Entry(owner, 0);
        }

        void forgetFirst(final long key, final UUID owner)
        {
            for (int i = 0; i < materializers.length; i++)
            {
                if (materializers[i].equals(owner))
                {
                    unmoved[i].remove(key);
                }
            }
        }

        /** Forgets every entry naming {@code owner}. */
        void forget(final UUID owner)
        {
            moved.values().removeIf(entry -> entry.owner.equals(owner));
            for (int i = 0; i < materializers.length; i++)
            {
                if (materializers[i].equals(owner))
                {
                    unmoved[i].clear();
                }
            }
        }

        private int unmovedIndexOf(final long key)
        {
            for (int i = 0; i < unmoved.length; i++)
            {
                if (unmoved[i].contains(key))
                {
                    return i;
                }
            }
            return -1;
        }

        private ShardedLongSet unmovedOf(final UUID owner)
        {
            for (int i = 0; i < materializers.length; i++)
            {
                if (materializers[i].equals(owner))
                {
                    return unmoved[i];
                }
            }
            final int n = materializers.length;
            materializers = Arrays.copyOf(materializers, n + 1);
            unmoved = Arrays.copyOf(unmoved, n + 1);
            materializers[n] = owner;
            unmoved[n] = new ShardedLongSet();
            return unmoved[n];
        }

        int size()
        {
            int size = moved.size();
            for (final ShardedLongSet keys : unmoved)
            {
                size += keys.size();
            }
            return size;
        }

        DirectoryChunk snapshot(final String table)
        {
            final int size = size();
            final long[] keys = new long[size];
            final UUID[] owners = new UUID[size];
            final long[] counters = new long[size];
            int i = 0;
            final Long2ObjectHashMap<Entry>.EntryIterator it = moved.entrySet().iterator();
            while (it.hasNext())
            {
                it.next();
                keys[i] = it.getLongKey();
                owners[i] = it.getValue().owner;
                counters[i++] = it.getValue().counter;
            }
            for (int m = 0; m < unmoved.length; m++)
            {
                final int copied = unmoved[m].copyTo(keys, i);
                Arrays.fill(owners, i, i + copied, materializers[m]);
                i += copied;
            }
            return new DirectoryChunk(table, keys, owners, counters);
        }
    }
}
