package org.intentgrid.internal;

import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The old owner's side of a relocation's crash safety: a main copy handed to another member (a sync round's
 * relocate decision, or a localize) is kept here — value, version and the counter the new owner got — until the new
 * owner confirms that its backup holder has the key ({@link RequestKind#HANDED_OVER}). Until then the key exists
 * only in the new owner's memory: its old owner's backup forgets it at the next flush, and the new owner's backup
 * has not heard of it. If the new owner is lost first, its backup holder asks every member to claim back the keys
 * it handed the lost member ({@link RequestKind#RECLAIM}), after its own claims (a backup holds the fresher value
 * when it has the key at all).
 * <p>
 * What is kept is bounded by what this member hands one member between two of the new owner's periodic flushes.
 * Nothing is kept without backups (a crash may lose anything then). Thread-safe.
 */
final class HandedOver
{
    /** One main copy handed over, as it was at that moment. */
    record Copy(long counter, long version, float[] value)
    {
    }

    /** The copies handed to one member, per table and key. */
    private static final class ToMember
    {
        final Map<TableStore, Long2ObjectHashMap<Copy>> byTable = new HashMap<>();
    }

    private final Map<UUID, ToMember> byNewOwner = new ConcurrentHashMap<>();
    private final AtomicLong kept = new AtomicLong();
    private final BooleanSupplier backupsOn;

    /** @param backupsOn whether the grid keeps backups now (without them, nothing is kept here) */
    HandedOver(final BooleanSupplier backupsOn)
    {
        this.backupsOn = backupsOn;
    }

    /**
     * Keeps {@code key} of {@code table}, whose main copy this member just handed to {@code newOwner} under relocation
     * counter {@code counter}; a copy kept from an earlier hand-over of the key to the same member is replaced.
     */
    void keep(
        final UUID newOwner, final TableStore table, final long key, final float[] src, final int offset,
        final long counter, final long version)
    {
        if (!backupsOn.getAsBoolean())
        {
            return;
        }
        final Copy copy = new Copy(counter, version, Arrays.copyOfRange(src, offset, offset + table.valueLength()));
        final ToMember to = byNewOwner.computeIfAbsent(newOwner, m -> new ToMember());
        synchronized (to)
        {
            if (to.byTable.computeIfAbsent(table, t -> new Long2ObjectHashMap<>()).put(key, copy) == null)
            {
                kept.incrementAndGet();
            }
        }
    }

    /**
     * {@code newOwner}'s backup holds these keys of {@code table} under (at least) these counters: forgets the copies
     * of those hand-overs; a copy of a later hand-over of the same key (a higher counter) stays.
     */
    void confirmed(final UUID newOwner, final TableStore table, final long[] keys, final long[] counters)
    {
        final ToMember to = byNewOwner.get(newOwner);
        if (to == null)
        {
            return;
        }
        int dropped = 0;
        synchronized (to)
        {
            final Long2ObjectHashMap<Copy> copies = to.byTable.get(table);
            if (copies == null)
            {
                return;
            }
            for (int i = 0; i < keys.length; i++)
            {
                final Copy copy = copies.get(keys[i]);
                if (copy != null && copy.counter() <= counters[i])
                {
                    copies.remove(keys[i]);
                    dropped++;
                }
            }
            if (copies.isEmpty())
            {
                to.byTable.remove(table);
            }
        }
        kept.addAndGet(-dropped);
    }

    /**
     * @return the copies handed to {@code lost} that it never confirmed, one claim piece per table (keys, values,
     *         counters, versions as in a backup), forgotten here
     */
    Map<TableStore, DataRequest> takeHandedTo(final UUID lost)
    {
        final ToMember to = byNewOwner.remove(lost);
        if (to == null)
        {
            return Map.of();
        }
        final Map<TableStore, DataRequest> pieces = new HashMap<>();
        synchronized (to)
        {
            to.byTable.forEach((table, copies) ->
            {
                pieces.put(table, piece(table, copies));
                kept.addAndGet(-copies.size());
            });
        }
        return pieces;
    }

    private static DataRequest piece(final TableStore table, final Long2ObjectHashMap<Copy> copies)
    {
        final int length = table.valueLength();
        final LongArrayList keys = new LongArrayList(copies.size(), Long.MIN_VALUE);
        final List<Copy> inOrder = new ArrayList<>(copies.size());
        copies.forEach((key, copy) ->
        {
            keys.addLong(key);
            inOrder.add(copy);
        });
        final float[] values = new float[inOrder.size() * length];
        final long[] counters = new long[inOrder.size()];
        final long[] versions = new long[inOrder.size()];
        for (int i = 0; i < inOrder.size(); i++)
        {
            final Copy copy = inOrder.get(i);
            System.arraycopy(copy.value(), 0, values, i * length, length);
            counters[i] = copy.counter();
            versions[i] = copy.version();
        }
        return new DataRequest(table.spec(), RequestKind.BACKUP, keys.toLongArray(), values, counters, null, versions);
    }

    /** @return main copies kept now, handed over and not yet confirmed backed up by their new owners */
    long kept()
    {
        return kept.get();
    }
}
