package org.intentgrid.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requester's side of crash safety for its remote pushes and replica deltas: an owner answers them at once,
 * naming the backup flush that will carry them; the requester keeps a copy of each until an answer from the same
 * owner shows that flush completed. If the owner is lost first, the copies go out again — with their original
 * request ids, so that the member that recovered the owner's keys applies each exactly once (once if its backup
 * missed it, not again if it had it).
 * <p>
 * What is kept is bounded by what a member sends one owner during about one flush interval. Thread-safe.
 */
final class UnconfirmedUpdates
{
    /** One update waiting for its owner's backup: its value at {@code offset} in {@code values}. */
    record Update(long flush, TableStore table, long key, float[] values, int offset, long requestId)
    {
    }

    private final Map<UUID, ArrayDeque<Update>> byOwner = new ConcurrentHashMap<>();
    /**
     * Owners that left gracefully ({@link #forget}): an answer of theirs that arrives after they said so keeps
     * nothing, or the update would go out again once they are gone, to the member that adopted a value holding it.
     */
    private final Set<UUID> departed = ConcurrentHashMap.newKeySet();
    private final AtomicLong kept = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong knownApplied = new AtomicLong();

    /**
     * Keeps a copy of the update of {@code key} by request {@code requestId}, which {@code owner} applied and will
     * back up in flush {@code flush} (nothing is kept for 0: the owner has no backup holder).
     */
    void keep(
        final UUID owner, final long flush, final TableStore table, final long key, final float[] src,
        final int offset, final long requestId)
    {
        if (flush != 0)
        {
            add(owner, new Update(flush, table, key, Arrays.copyOfRange(src, offset, offset + table.valueLength()), 0,
                requestId));
        }
    }

    /**
     * As {@link #keep}, but keeps {@code src} itself, which its owner never writes again (a sync round's deltas:
     * copying each of them had been the sync thread's largest allocation).
     */
    void keepShared(
        final UUID owner, final long flush, final TableStore table, final long key, final float[] src,
        final int offset, final long requestId)
    {
        if (flush != 0)
        {
            add(owner, new Update(flush, table, key, src, offset, requestId));
        }
    }

    private void add(final UUID owner, final Update update)
    {
        if (departed.contains(owner))
        {
            return;
        }
        final ArrayDeque<Update> updates = byOwner.computeIfAbsent(owner, o -> new ArrayDeque<>());
        synchronized (updates)
        {
            updates.addLast(update);
        }
        kept.incrementAndGet();
        if (departed.contains(owner))
        {
            // forget ran meanwhile, perhaps before this update was added
            remove(owner);
        }
    }

    /** {@code owner}'s flushes up to {@code completedFlush} reached its backup: their updates are safe. */
    void confirmed(final UUID owner, final long completedFlush)
    {
        final ArrayDeque<Update> updates = byOwner.get(owner);
        if (updates == null)
        {
            return;
        }
        int dropped = 0;
        synchronized (updates)
        {
            // from the oldest on; answers may arrive out of order, so an update can wait a little behind a newer one
            while (!updates.isEmpty() && updates.peekFirst().flush() <= completedFlush)
            {
                updates.pollFirst();
                dropped++;
            }
        }
        kept.addAndGet(-dropped);
    }

    /** @return the updates {@code owner} had not confirmed when it was lost (forgotten here) */
    List<Update> takeLost(final UUID owner)
    {
        return remove(owner);
    }

    /**
     * Of a lost owner's updates taken by {@link #takeLost}, {@code sentAgain} go out again and {@code known} do not:
     * a member knew them applied ({@link KnownUpdates}).
     */
    void resending(final int sentAgain, final int known)
    {
        resent.addAndGet(sentAgain);
        knownApplied.addAndGet(known);
    }

    /** @return true if an update answered by {@code owner} is kept now */
    boolean keepsAny(final UUID owner)
    {
        final ArrayDeque<Update> updates = byOwner.get(owner);
        if (updates == null)
        {
            return false;
        }
        synchronized (updates)
        {
            return !updates.isEmpty();
        }
    }

    /** @return the owners whose updates are kept now */
    Set<UUID> owners()
    {
        return Set.copyOf(byOwner.keySet());
    }

    /**
     * A rollback of {@code tables} voided every update before it: forgets theirs, so that none of them is sent again
     * (an exactly-once job trains the items behind them again).
     */
    void forgetAll(final Set<TableStore> tables)
    {
        for (final ArrayDeque<Update> updates : byOwner.values())
        {
            final int dropped;
            synchronized (updates)
            {
                final int before = updates.size();
                updates.removeIf(update -> tables.contains(update.table()));
                dropped = before - updates.size();
            }
            kept.addAndGet(-dropped);
        }
    }

    /** {@code owner} left gracefully, handing off values that include every update it answered: forgets them. */
    void forget(final UUID owner)
    {
        departed.add(owner);
        remove(owner);
    }

    private List<Update> remove(final UUID owner)
    {
        final ArrayDeque<Update> updates = byOwner.remove(owner);
        if (updates == null)
        {
            return List.of();
        }
        synchronized (updates)
        {
            kept.addAndGet(-updates.size());
            return new ArrayList<>(updates);
        }
    }

    /** @return updates kept now, waiting for their owners' backups */
    long kept()
    {
        return kept.get();
    }

    /** @return updates sent again because their owner was lost before confirming them */
    long resent()
    {
        return resent.get();
    }

    /** @return updates of lost owners not sent again: a member knew them applied */
    long knownApplied()
    {
        return knownApplied.get();
    }
}
