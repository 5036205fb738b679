package org.intentgrid.internal;

import org.agrona.collections.LongHashSet;

/**
 * The replicas a member syncs in small rounds of their own, as often as the rate limit allows, because its workers
 * push to them so often that a full round leaves many of their updates unseen by the other members: kge's few
 * relations take an update with every triple, and a full round of thousands of replicas takes tens of milliseconds
 * on two busy cores. The lane's urgent messages bring their sync to under ten milliseconds (kge 2 x 1 ran about a
 * tenth faster per epoch; its MRR at equal epochs stayed where it was, README *The hot lane*).
 * <p>
 * A full round's step promotes a replica holding at least {@link #PROMOTE_PUSHES} pushes since its last delta while
 * the lane has room; a hot round's step demotes one that {@link #DEMOTE_QUIET_ROUNDS} hot rounds in a row found
 * without a push. Keys in the lane are tracked by its {@link SyncChannel} alone, so that a replica's delta travels in
 * one round's message at a time; channels skip and forget any key the lane tracks. Confined to the sync thread.
 */
final class HotLane
{
    /** Pushes since the last delta that a full round's step takes for hot (at most SlotMemory.MAX_PUSH_COUNT). */
    static final int PROMOTE_PUSHES = 16;
    /** Hot rounds in a row without a push after which a replica goes back to its channel. */
    static final int DEMOTE_QUIET_ROUNDS = 8;

    final SyncChannel channel;
    private final int maxKeys;
    /** Replicas the lane took, ever; written by the sync thread only, read by statistics. */
    private volatile long promotions;

    /**
     * @param index   the lane channel's number in sync messages, after the member's channels
     * @param maxKeys the most replicas the lane holds (0: none)
     */
    HotLane(final int index, final int maxKeys)
    {
        this.channel = new SyncChannel(index);
        this.maxKeys = maxKeys;
    }

    /** @return the pushes since its last delta that make a replica hot now; none while the lane is full */
    int promoteAt()
    {
        return channel.count() < maxKeys ? PROMOTE_PUSHES : Integer.MAX_VALUE;
    }

    /** @return true if the lane syncs {@code key} of {@code table} */
    boolean tracks(final TableStore table, final long key)
    {
        final LongHashSet keys = channel.tracked.get(table);
        return keys != null && keys.contains(key);
    }

    /** Takes a replica that a full round promoted. */
    void adopt(final TableStore table, final long key)
    {
        channel.adopt(table, key);
        promotions = promotions + 1;
    }

    /** @return replicas in the lane as of the sync thread's last pass (racy, for statistics) */
    long size()
    {
        return channel.trackedCount;
    }

    /** @return replicas the lane took since the member started (a replica that comes back counts again) */
    long promotions()
    {
        return promotions;
    }
}
