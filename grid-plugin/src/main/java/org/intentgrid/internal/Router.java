package org.intentgrid.internal;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.intentgrid.Hashing;
import org.intentgrid.TableSpec;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The one place that knows where a key lives: its home partition and home member, this member's route hints,
 * and what this member's home directory says. Also the one retry policy of requests that must try again.
 * <p>
 * Routing a key, in order of preference: the member a route hint names (the last place this member saw the
 * main copy), then the key's home member, which usually holds the key or knows from its directory who does,
 * then the home partition's thread, the only place where keys are created and ownership records change.
 * <p>
 * Thread-safe: reads the partition table and the directory, keeps no state of its own beyond the peer ids.
 */
final class Router
{
    /** Direct misses of one key in a row after which a request stops following hints and asks the home. */
    static final int MAX_HINT_HOPS = 3;
    /** Attempts of one key that are retried at once; later ones back off. */
    private static final int BACKOFF_AFTER = 6;
    private static final long FIRST_BACKOFF_MICROS = 50;
    /** A moving key settles within about one sync round (~1 ms), so waiting much longer only adds latency. */
    private static final long MAX_BACKOFF_MICROS = 1000;

    private final ClusterPort port;
    private final UUID self;
    private final Directory directory;
    private final Peers peers = new Peers();

    Router(final ClusterPort port, final Directory directory)
    {
        this.port = port;
        this.self = port.localMember();
        this.directory = directory;
    }

    UUID self()
    {
        return self;
    }

    ClusterPort port()
    {
        return port;
    }

    /** @return the home partition of a key; the same on every member */
    int partitionOf(final TableSpec spec, final long key)
    {
        return (int)Long.remainderUnsigned(Hashing.mix64(spec.nameHash() ^ key * 0x9E3779B97F4A7C15L),
            port.partitionCount());
    }

    /** @return the member owning the partition, or null while it is unassigned */
    UUID homeOf(final int partition)
    {
        return port.partitionOwner(partition);
    }

    /** @return true if this member is the home of the key now */
    boolean isHome(final TableSpec spec, final long key)
    {
        return isHomeOf(self, spec, key);
    }

    /** @return true if {@code member} is the home of the key now */
    boolean isHomeOf(final UUID member, final TableSpec spec, final long key)
    {
        return member.equals(port.partitionOwner(partitionOf(spec, key)));
    }

    int peerIndex(final UUID member)
    {
        return peers.index(member);
    }

    UUID peer(final int index)
    {
        return peers.uuid(index);
    }

    /** @return the member a hint names if it is in the cluster now, else null (also for no hint, {@code -1}) */
    UUID livePeer(final int hint)
    {
        if (hint < 0)
        {
            return null;
        }
        final UUID member = peers.uuid(hint);
        return port.isMember(member) ? member : null;
    }

    /**
     * @return the owner this member's home directory records for the key, or null if this member is not the key's
     *         home or the key was never materialized
     */
    UUID recordedOwner(final TableSpec spec, final long key)
    {
        final int partition = partitionOf(spec, key);
        if (!self.equals(port.partitionOwner(partition)))
        {
            return null;
        }
        final Directory.Entry entry = directory.get(partition, spec.id(), key);
        return entry == null || directory.isLost(entry.owner()) ? null : entry.owner();
    }

    /** @return the owner {@link #recordedOwner} names, if it is another member; else null */
    UUID ownerKnownAtHome(final TableSpec spec, final long key)
    {
        final UUID owner = recordedOwner(spec, key);
        return self.equals(owner) ? null : owner;
    }

    /**
     * Where a requester should look for a key this member does not hold: the member its hint names, else the
     * owner this member's directory knows, else null (ask the home).
     *
     * @param hint this member's route hint for the key, or {@code -1}
     */
    UUID missHint(final TableSpec spec, final int hint, final long key)
    {
        return hint >= 0 ? peers.uuid(hint) : ownerKnownAtHome(spec, key);
    }

    /**
     * Where sync entries for a key should go: the member a live hint names, else the home member, else (this
     * member is the home and the key was materialized elsewhere) the owner its directory names; null if unknown.
     *
     * @param hint this member's route hint for the key ({@link SyncStep#hint}), or {@code -1}
     */
    UUID syncRoute(final TableStore table, final long key, final int hint)
    {
        final UUID hinted = livePeer(hint);
        if (hinted != null && !hinted.equals(self))
        {
            return hinted;
        }
        final UUID home = port.partitionOwner(partitionOf(table.spec(), key));
        if (home == null || !home.equals(self))
        {
            return home;
        }
        return ownerKnownAtHome(table.spec(), key);
    }

    /**
     * The retry policy of every request that must try again (a key moving, a partition migrating): the first
     * attempts go out at once, later ones wait exponentially longer, up to about one sync round.
     *
     * @param attempt how many times the same step was tried already, from 1
     * @return how long to wait before the next attempt, 0 for at once
     */
    static long retryDelayMicros(final int attempt)
    {
        return attempt <= BACKOFF_AFTER ? 0 :
            Math.min(MAX_BACKOFF_MICROS, FIRST_BACKOFF_MICROS << Math.min(10, attempt - BACKOFF_AFTER));
    }

    /** Indexes of a request's keys grouped by home member and home partition: one home operation per member. */
    static final class HomeGroups
    {
        private final Map<UUID, Int2ObjectHashMap<IntArrayList>> byMember = new HashMap<>();

        void add(final UUID member, final int partition, final int index)
        {
            byMember.computeIfAbsent(member, m -> new Int2ObjectHashMap<>())
                .computeIfAbsent(partition, p -> new IntArrayList()).addInt(index);
        }

        /** Hands each member's group to {@code action}, partitions and their key indexes in matching order. */
        void forEachMember(final Consumer<MemberGroup> action)
        {
            for (final Map.Entry<UUID, Int2ObjectHashMap<IntArrayList>> member : byMember.entrySet())
            {
                final Int2ObjectHashMap<IntArrayList> partitions = member.getValue();
                final int[] ids = new int[partitions.size()];
                final IntArrayList[] indexes = new IntArrayList[ids.length];
                int p = 0;
                for (final Int2ObjectHashMap<IntArrayList>.EntryIterator it = partitions.entrySet().iterator();
                    it.hasNext(); p++)
                {
                    it.next();
                    ids[p] = it.getIntKey();
                    indexes[p] = it.getValue();
                }
                action.accept(new MemberGroup(member.getKey(), ids, indexes));
            }
        }
    }

    /** One home member's share of a request: its partitions and, per partition, the key indexes. */
    record MemberGroup(UUID member, int[] partitions, IntArrayList[] indexes)
    {
    }
}
