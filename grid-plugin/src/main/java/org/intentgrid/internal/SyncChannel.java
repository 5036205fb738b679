package org.intentgrid.internal;

import org.agrona.collections.LongHashSet;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One sync channel of a member: the keys of its hash partition of the key space that need syncing (replicas,
 * placeholders, intended main copies), with its own rounds, one in flight at a time. Touched only by the sync
 * thread, except the round counters that waiters read.
 */
final class SyncChannel
{
    final int index;
    final Map<TableStore, LongHashSet> tracked = new IdentityHashMap<>();
    final Map<TableStore, AddScratch> scratches = new IdentityHashMap<>();
    Set<UUID> lastDestinations = Set.of();
    int inFlight;
    boolean ready;
    long lastStartNanos = Long.MIN_VALUE / 2;
    volatile long roundsStarted;
    volatile long roundsCompleted;
    volatile long trackedCount;

    SyncChannel(final int index)
    {
        this.index = index;
    }

    void track(final TableStore table, final long key)
    {
        if (tracked.computeIfAbsent(table, t -> new LongHashSet()).add(key))
        {
            trackedCount++;
        }
    }

    boolean hasWork()
    {
        if (!lastDestinations.isEmpty())
        {
            return true;
        }
        long count = 0;
        for (final LongHashSet keys : tracked.values())
        {
            count += keys.size();
        }
        trackedCount = count;
        return count > 0;
    }

    AddScratch scratch(final TableStore table)
    {
        return scratches.computeIfAbsent(table, t -> new AddScratch(t.valueLength()));
    }
}
