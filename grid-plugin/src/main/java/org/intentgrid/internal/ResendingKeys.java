package org.intentgrid.internal;

import org.intentgrid.TableSpec;

import org.agrona.collections.Long2LongCounterMap;

import java.util.HashMap;
import java.util.Map;

/**
 * Keys this member is sending updates for again, after their owner was lost before confirming them backed up
 * ({@link UnconfirmedUpdates}): until the re-send was answered, the key's value wherever it is now may lack the
 * update, which this member's workers saw acknowledged. Their reads of such a key wait for the re-send (read your
 * writes), locally and remotely; writes go on.
 * <p>
 * The requester's side of what {@link RecoveryPins} does at the recoverer: it also covers keys that started again
 * from their initializers (the owner had no backup of them yet) and keys the previous owner claimed back. Counts
 * per key, since one key can be in several re-sent requests. Checked on the local read path while {@link ReadHolds}
 * says so; {@link #contains} costs one volatile read while nothing is being sent again.
 */
final class ResendingKeys
{
    /** Per table name, per key, the re-sends of it not answered yet. Guarded by this. */
    private final Map<String, Long2LongCounterMap> byTable = new HashMap<>();
    private final ReadHolds holds;
    private volatile boolean any;

    ResendingKeys(final ReadHolds holds)
    {
        this.holds = holds;
    }

    /** {@code keys} of {@code table} are being sent again. */
    synchronized void add(final TableSpec table, final long[] keys)
    {
        final Long2LongCounterMap counts = byTable.computeIfAbsent(table.id(), t -> new Long2LongCounterMap(0));
        for (final long key : keys)
        {
            counts.incrementAndGet(key);
        }
        changed();
    }

    /** The re-send of {@code keys} of {@code table} was answered (or gave up). */
    synchronized void remove(final TableSpec table, final long[] keys)
    {
        final Long2LongCounterMap counts = byTable.get(table.id());
        if (counts == null)
        {
            return;
        }
        for (final long key : keys)
        {
            counts.decrementAndGet(key);
        }
        changed();
    }

    /** Forgets tables left without keys; tells {@link ReadHolds} when the first key came or the last went. */
    private void changed()
    {
        byTable.values().removeIf(Long2LongCounterMap::isEmpty);
        any = holds.changed(any, !byTable.isEmpty());
    }

    /** @return true if an update of {@code key} of {@code table} is being sent again */
    boolean contains(final TableSpec table, final long key)
    {
        if (!any)
        {
            return false;
        }
        synchronized (this)
        {
            final Long2LongCounterMap counts = byTable.get(table.id());
            return counts != null && counts.get(key) > 0;
        }
    }
}
