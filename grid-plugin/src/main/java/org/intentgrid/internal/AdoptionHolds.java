package org.intentgrid.internal;

import org.agrona.collections.Long2ObjectHashMap;
import org.intentgrid.TableSpec;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keys whose main copy this member adopted over a replica that had deltas on their way to the copy's previous owner:
 * from a leaving member ({@link HandOff}, {@link DataServer#adopt}), or recovered from a lost one's backup
 * ({@link TableStore#installRecovered}). The leaver handed its copy over as it had it, and the backup holds what the
 * lost owner had flushed: with a delta it had merged, without one that reached it too late or never (which misses
 * and comes back to be merged here). Until each of those deltas is answered ({@link ReplicaStore#deltaAnswered},
 * {@link ReplicaStore#deltaMissed}, {@link ReplicaStore#deltaDelivered}), the adopted value may lack pushes this
 * member's workers saw complete, so their reads of the key wait (read your writes); writes go on.
 * <p>
 * The counterpart of the localize guard ({@link ReplicaStore#beginLocalize}), which keeps a localize from bringing a
 * main copy over a replica with a delta in flight: a leaver cannot wait for its members' rounds, so the member that
 * adopts waits instead, and only where a delta was in flight. A hold ends at the latest after the request timeout:
 * a delta not answered by then has failed its round, and a lost answer must not keep the key unreadable for good.
 * Checked on the local read path while {@link ReadHolds} says so; {@link #contains} costs one volatile read while
 * nothing is held.
 */
final class AdoptionHolds
{
    /** Per table id, per key, the deltas still unanswered and when the hold ends. Guarded by this. */
    private final Map<String, Long2ObjectHashMap<Hold>> byTable = new HashMap<>();
    private final ReadHolds holds;
    private final long maxHoldNanos;
    /** The earliest end of a hold now held. Guarded by this. */
    private long earliestEndNanos;
    private volatile boolean any;

    /** @param maxHoldMillis how long a hold lasts at most (the request timeout) */
    AdoptionHolds(final ReadHolds holds, final long maxHoldMillis)
    {
        this.holds = holds;
        this.maxHoldNanos = TimeUnit.MILLISECONDS.toNanos(maxHoldMillis);
    }

    /**
     * The main copy of {@code key} was adopted over a replica with {@code deltas} (positive) unanswered. Called under
     * the key's stripe lock, as is {@link #release}, so that no answer can come between the adoption and its hold.
     */
    synchronized void hold(final TableSpec table, final long key, final int deltas)
    {
        final Long2ObjectHashMap<Hold> keys = byTable.computeIfAbsent(table.id(), t -> new Long2ObjectHashMap<>());
        final Hold held = keys.get(key);
        final long until = System.nanoTime() + maxHoldNanos;
        if (held == null)
        {
            keys.put(key, new Hold(deltas, until));
        }
        else
        {
            held.deltas += deltas;
            held.untilNanos = until;
        }
        if (!any || until - earliestEndNanos < 0)
        {
            earliestEndNanos = until;
        }
        changed();
    }

    /** One delta of {@code key} that a replica here sent was answered or delivered; no-op if the key is not held. */
    void release(final TableSpec table, final long key)
    {
        if (!any)
        {
            return;
        }
        synchronized (this)
        {
            final Long2ObjectHashMap<Hold> keys = byTable.get(table.id());
            final Hold held = keys == null ? null : keys.get(key);
            if (held != null && --held.deltas == 0)
            {
                keys.remove(key);
                changed();
            }
        }
    }

    /** The table was dropped: nothing of it is read any more. */
    synchronized void forget(final TableSpec table)
    {
        if (byTable.remove(table.id()) != null)
        {
            changed();
        }
    }

    /** @return true if reads of {@code key} of {@code table} here wait for a delta of an adopted replica */
    boolean contains(final TableSpec table, final long key)
    {
        if (!any)
        {
            return false;
        }
        synchronized (this)
        {
            final long now = System.nanoTime();
            if (now - earliestEndNanos > 0)
            {
                endExpired(now);
            }
            final Long2ObjectHashMap<Hold> keys = byTable.get(table.id());
            return keys != null && keys.containsKey(key);
        }
    }

    /** Ends the holds whose time is up, including those of keys nobody reads (which keep the read path checking). */
    private void endExpired(final long now)
    {
        long earliest = now + maxHoldNanos;
        for (final Long2ObjectHashMap<Hold> keys : byTable.values())
        {
            final Long2ObjectHashMap<Hold>.ValueIterator held = keys.values().iterator();
            while (held.hasNext())
            {
                final long until = held.next().untilNanos;
                if (now - until > 0)
                {
                    held.remove();
                }
                else if (until - earliest < 0)
                {
                    earliest = until;
                }
            }
        }
        earliestEndNanos = earliest;
        changed();
    }

    /** Forgets tables left without keys; tells {@link ReadHolds} when the first key came or the last went. */
    private void changed()
    {
        byTable.values().removeIf(Long2ObjectHashMap::isEmpty);
        any = holds.changed(any, !byTable.isEmpty());
    }

    /** One held key. */
    private static final class Hold
    {
        int deltas;
        long untilNanos;

        Hold(final int deltas, final long untilNanos)
        {
            this.deltas = deltas;
            this.untilNanos = untilNanos;
        }
    }
}
