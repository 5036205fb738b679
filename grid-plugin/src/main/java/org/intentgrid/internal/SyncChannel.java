package org.intentgrid.internal;

import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One sync channel of a member: the keys of its hash partition of the key space that local workers intend, with
 * its own rounds: one full round and one fetch round in flight at a time. Replicas and placeholders
 * ({@link #tracked}) are visited every full round, new placeholders ({@link #fresh}) also by fetch rounds between
 * them; intended main copies ({@link #intendedMains}) have nothing to send, so only a periodic sweep visits them (to
 * forget expired intents and to notice one that moved away), and a round costs what its replicas need, not what was
 * ever intended. While nothing changes on either side, its full rounds back off ({@link #fullRoundCompleted}).
 * Touched only by the sync thread, except the counters that waiters and statistics read.
 */
final class SyncChannel
{
    /** The first wait of a quiet channel's full rounds ({@link #fullRoundCompleted}). */
    static final long QUIET_FIRST_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** The longest wait of a quiet channel's full rounds, unless its rounds take longer than an eighth of it. */
    static final long QUIET_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** A quiet channel's rounds may wait this many times as long as one takes: it spends at most a ninth as much. */
    static final int QUIET_ROUND_MULTIPLE = 8;

    final int index;
    final Map<TableStore, LongHashSet> tracked = new IdentityHashMap<>();
    final Map<TableStore, LongHashSet> intendedMains = new IdentityHashMap<>();
    /**
     * Keys tracked since the last round, full or fetch, started: new placeholders among them need not wait for the
     * next full round (up to a rate-limit interval away), a fetch round asks for them as soon as no round is in
     * flight.
     */
    final Map<TableStore, LongHashSet> fresh = new IdentityHashMap<>();
    final Map<TableStore, AddScratch> scratches = new IdentityHashMap<>();
    /**
     * Per table, about the most entries and the most deltas a recent round sent one destination (each round's sizes
     * in, the older ones decaying by an eighth a round, since sizes vary from round to round): the next round's
     * batches start that big.
     */
    private final Map<TableStore, int[]> recentBatchSizes = new IdentityHashMap<>();
    Set<UUID> lastDestinations = Set.of();
    /** Messages of the full round in flight not answered yet. */
    int inFlight;
    /**
     * Messages of the fetch round in flight not answered yet: a fetch round may go while a full round is in flight,
     * so that a new placeholder is asked for at once instead of after the full round's answer.
     */
    int fetchesInFlight;
    /** No round in flight and the rate limit passed: a sweep may run, and a full round unless the channel is quiet. */
    boolean ready;
    long lastStartNanos = Long.MIN_VALUE / 2;
    /** Whether the full round in flight, or the last one, sent or received any change ({@link #changed}). */
    private boolean roundChanged;
    /** While the channel is quiet, the least time between the starts of two full rounds; 0 when it is not. */
    private long quietNanos;
    long lastSweepNanos = Long.MIN_VALUE / 2;
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
            fresh.computeIfAbsent(table, t -> new LongHashSet()).add(key);
        }
    }

    /** Tracks a key that another channel or the hot lane synced until now (it is no new placeholder). */
    void adopt(final TableStore table, final long key)
    {
        tracked.computeIfAbsent(table, t -> new LongHashSet()).add(key);
    }

    /** @return keys tracked for rounds (replicas and placeholders; not intended main copies) */
    long count()
    {
        return count(tracked);
    }

    /** @return true if keys were tracked since the last round started (a fetch round may ask for them) */
    boolean hasFresh()
    {
        return count(fresh) > 0;
    }

    /** A round starts: the fresh keys are in it (a full round visits every tracked key). */
    void clearFresh()
    {
        for (final LongHashSet keys : fresh.values())
        {
            keys.clear();
        }
    }

    void intendMain(final TableStore table, final long key)
    {
        intendedMains.computeIfAbsent(table, t -> new LongHashSet()).add(key);
    }

    /**
     * @return true while local workers intend keys of this channel (or an owner must still hear that this member's
     *         interest ended): rounds go on, as the clock that waiters and tests count, even when only intended main
     *         copies remain and a round finds nothing to send (such a round does not count as work, so the sync
     *         thread still backs off)
     */
    boolean hasWork()
    {
        trackedCount = count(tracked) + count(intendedMains);
        return trackedCount > 0 || !lastDestinations.isEmpty();
    }

    /** Stops tracking the keys of dropped tables. */
    void forgetDroppedTables()
    {
        tracked.keySet().removeIf(TableStore::isDropped);
        fresh.keySet().removeIf(TableStore::isDropped);
        intendedMains.keySet().removeIf(TableStore::isDropped);
        scratches.keySet().removeIf(TableStore::isDropped);
        recentBatchSizes.keySet().removeIf(TableStore::isDropped);
    }

    /** @return an empty batch of {@code table}'s entries for one destination, with room for recent rounds' */
    SyncBatchBuilder newBatch(final TableStore table)
    {
        final int[] last = recentBatchSizes.get(table);
        return last == null ? new SyncBatchBuilder(table) : new SyncBatchBuilder(table, last[0], last[1]);
    }

    /** Takes the sizes of a round's batches in, for {@link #newBatch}. */
    void rememberBatchSizes(final Map<UUID, Map<TableStore, SyncBatchBuilder>> round)
    {
        for (final int[] sizes : recentBatchSizes.values())
        {
            sizes[0] -= sizes[0] / 8;
            sizes[1] -= sizes[1] / 8;
        }
        for (final Map<TableStore, SyncBatchBuilder> batches : round.values())
        {
            for (final SyncBatchBuilder batch : batches.values())
            {
                final int[] most = recentBatchSizes.computeIfAbsent(batch.table, t -> new int[2]);
                most[0] = Math.max(most[0], batch.size);
                most[1] = Math.max(most[1], batch.deltaCount());
            }
        }
    }

    /** A full round starts: it counts, and it is quiet until something it sends or receives is a change. */
    void fullRoundStarted(final long nowNanos)
    {
        roundsStarted++;
        lastStartNanos = nowNanos;
        roundChanged = false;
    }

    /**
     * The round in flight sent or received a change: a delta, a drop, a placeholder, a value, a relocation, a miss
     * or a key leaving the channel.
     */
    void changed()
    {
        roundChanged = true;
    }

    /**
     * The full round in flight is done. One that changed nothing makes the channel quiet, or doubles the wait of a
     * quiet one, from {@link #QUIET_FIRST_NANOS} up to {@link #QUIET_MAX_NANOS} or {@link #QUIET_ROUND_MULTIPLE}
     * times this round's duration, whichever is longer; one with a change ends the quiet.
     *
     * @return true if the channel is quiet now
     */
    boolean fullRoundCompleted(final long nowNanos)
    {
        roundsCompleted++;
        if (roundChanged)
        {
            quietNanos = 0;
            return false;
        }
        final long longest = Math.max(QUIET_MAX_NANOS, QUIET_ROUND_MULTIPLE * (nowNanos - lastStartNanos));
        quietNanos = Math.min(longest, quietNanos == 0 ? QUIET_FIRST_NANOS : 2 * quietNanos);
        return true;
    }

    /** Local activity (an intent came due, a worker pushed to a replica): full rounds go at the rate limit again. */
    void endQuiet()
    {
        quietNanos = 0;
    }

    /** @return true while the channel's full rounds wait longer than the rate limit asks */
    boolean quiet()
    {
        return quietNanos > 0;
    }

    /**
     * @return when the next full round may start: the rate limit after the last one's start, or the quiet wait if
     *         longer and the round is not forced by a waiter
     */
    long nextFullRoundNanos(final long minIntervalNanos, final boolean forced)
    {
        return lastStartNanos + (forced ? minIntervalNanos : Math.max(minIntervalNanos, quietNanos));
    }

    /** @return true if the intended main copies are due for their sweep */
    boolean sweepDue(final long nowNanos, final long intervalNanos, final boolean forced)
    {
        return (forced || nowNanos - lastSweepNanos >= intervalNanos) && count(intendedMains) > 0;
    }

    /**
     * Forgets intended main copies whose intents expired and hands the ones that moved away to the rounds.
     *
     * @return keys looked at
     */
    int sweepIntendedMains(final long nowNanos)
    {
        lastSweepNanos = nowNanos;
        int visited = 0;
        for (final Map.Entry<TableStore, LongHashSet> intended : intendedMains.entrySet())
        {
            final TableStore table = intended.getKey();
            final LongHashSet keys = intended.getValue();
            final LongArrayList done = new LongArrayList();
            final LongHashSet.LongIterator it = keys.iterator();
            while (it.hasNext())
            {
                final long key = it.nextValue();
                visited++;
                final SyncStep.Action action = table.replicaStore().checkIntendedMain(key);
                if (action != SyncStep.Action.MAIN_INTENDED)
                {
                    done.addLong(key);
                    if (action == SyncStep.Action.REFRESH)
                    {
                        track(table, key);
                    }
                }
            }
            for (int i = 0; i < done.size(); i++)
            {
                keys.remove(done.getLong(i));
            }
        }
        return visited;
    }

    private static long count(final Map<TableStore, LongHashSet> keysByTable)
    {
        long count = 0;
        for (final LongHashSet keys : keysByTable.values())
        {
            count += keys.size();
        }
        return count;
    }

    AddScratch scratch(final TableStore table)
    {
        return scratches.computeIfAbsent(table, t -> new AddScratch(t.valueLength()));
    }
}
