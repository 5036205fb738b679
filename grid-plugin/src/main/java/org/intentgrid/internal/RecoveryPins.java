package org.intentgrid.internal;

import org.intentgrid.TableSpec;

import org.agrona.collections.LongHashSet;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Keys this member recovered from a lost member's backups, kept here until every survivor has sent again the lost
 * member's updates it had not seen confirmed ({@link UnconfirmedUpdates}). Only this member can tell such a re-sent
 * update from a new one (it holds the lost member's fingerprints, {@link AppliedRequests}); a key that moved on to
 * another member before a re-send arrived would have had it applied twice. So a pinned key is not handed over:
 * a localize is asked to wait.
 * <p>
 * Nor is a pinned key read: its value may still lack an update that the reader's member saw acknowledged before
 * the loss (read your writes), while it already holds later ones. Local reads take the remote way, remote reads
 * are asked to wait and sync refreshes to come back next round. Writes go on: each lands once either way.
 * <p>
 * Checked on the serving paths, and on the local read path while {@link ReadHolds} says so; {@link #isPinned}
 * costs one volatile read while nothing is pinned. Its own monitor is never held while a stripe lock is taken.
 */
final class RecoveryPins
{
    /** Per lost member, per table name, the keys recovered from its backups. Guarded by this. */
    private final Map<UUID, Map<String, LongHashSet>> byLost = new HashMap<>();
    private final ReadHolds holds;
    private volatile boolean any;

    RecoveryPins(final ReadHolds holds)
    {
        this.holds = holds;
    }

    /** Pins {@code key} of {@code table}, recovered from {@code lost}'s backup. */
    synchronized void pin(final UUID lost, final TableSpec table, final long key)
    {
        byLost.computeIfAbsent(lost, l -> new HashMap<>()).computeIfAbsent(table.id(), t -> new LongHashSet()).add(key);
        any = holds.changed(any, true);
    }

    /** Every survivor sent again what {@code lost} had not confirmed (or the wait timed out): its keys may move. */
    synchronized void release(final UUID lost)
    {
        byLost.remove(lost);
        any = holds.changed(any, !byLost.isEmpty());
    }

    /** @return true if {@code key} of {@code table} must stay here, unread, for now */
    boolean isPinned(final TableSpec table, final long key)
    {
        if (!any)
        {
            return false;
        }
        synchronized (this)
        {
            for (final Map<String, LongHashSet> tables : byLost.values())
            {
                final LongHashSet keys = tables.get(table.id());
                if (keys != null && keys.contains(key))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
