package org.intentgrid.internal;

import org.intentgrid.OffHeapExhaustedException;

/**
 * The replica side of one member's {@link TableStore}: due intents turn into placeholders, each sync round's step
 * per key (extract a replica's delta, ask for a refresh, drop what is no longer intended), and what answers do to
 * replicas (refreshes, remote answers that keep reads from going back in time, confirmed drops).
 * <p>
 * Every method is one key step under the key's stripe lock, called by the member's sync thread, except
 * {@link #remoteCompleted}, which the I/O threads call when a remote request is answered.
 */
final class ReplicaStore
{
    private final TableStore table;
    private final int valueLength;
    private final String memberName;
    private final StoreListener listener;
    /** Reads of keys adopted over a replica wait for its deltas, whose answers this class applies. */
    private final AdoptionHolds adoptions;

    ReplicaStore(final TableStore table, final String memberName, final StoreListener listener,
        final AdoptionHolds adoptions)
    {
        this.table = table;
        this.adoptions = adoptions;
        this.valueLength = table.valueLength();
        this.memberName = memberName;
        this.listener = listener;
    }

    /**
     * Records a due intent: creates a placeholder if the key has no local copy.
     *
     * @return {@link SyncStep.Action#LEAVE} for a main copy held here that a local worker intended already: sync
     *         rounds or the intended-main sweep still track it, since they stop tracking a key only once its slot is
     *         gone or its intents expired and were cleared; {@link SyncStep.Action#MAIN_INTENDED} for a main copy
     *         intended anew (nothing to fetch); else {@link SyncStep.Action#REFRESH}: a replica or placeholder that
     *         sync rounds must keep up (also when intended already: a main copy handed away while intended leaves
     *         a placeholder that only the sweep, every 250 ms, would hand to the rounds)
     * @throws OffHeapExhaustedException if a placeholder was needed and the member has no room for it (the intent
     *                                   is not recorded; the key stays remote)
     */
    SyncStep.Action registerIntent(final long key, final int worker, final long end)
    {
        final Stripe stripe = table.stripe(key);
        final long stamp = stripe.lock();
        try
        {
            int slot = stripe.slotOf(key);
            if (slot < 0)
            {
                slot = stripe.create(key, SlotState.PLACEHOLDER, 0, -1);
            }
            final boolean intendedBefore = stripe.intentWorker(slot) != SlotMemory.NO_INTENT;
            if (stripe.addIntent(slot, worker, end))
            {
                listener.intentStarted(table.spec().name(), key, memberName);
            }
            if (stripe.state(slot) != SlotState.MAIN)
            {
                return SyncStep.Action.REFRESH;
            }
            return intendedBefore ? SyncStep.Action.LEAVE : SyncStep.Action.MAIN_INTENDED;
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * The periodic check of a main copy that local workers intended: forgets expired intents (without a round's
     * work) and tells whether the key still needs no syncing.
     *
     * @return {@link SyncStep.Action#MAIN_INTENDED} while it is a main copy with an active intent,
     *         {@link SyncStep.Action#UNTRACK} once it is gone or its intents expired, {@link SyncStep.Action#REFRESH}
     *         if it became a replica or placeholder (it moved away while intended) and sync rounds must take it over
     */
    SyncStep.Action checkIntendedMain(final long key)
    {
        final Stripe stripe = table.stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.slotOf(key);
            if (slot < 0)
            {
                return SyncStep.Action.UNTRACK;
            }
            final boolean active = table.activeIntent(stripe, slot);
            if (stripe.state(slot) != SlotState.MAIN)
            {
                return SyncStep.Action.REFRESH;
            }
            return active ? SyncStep.Action.MAIN_INTENDED : SyncStep.Action.UNTRACK;
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * One key's part of a sync round at the requester: extracts a replica's pending updates, decides whether
     * to ask for a refresh, and drops what is no longer intended.
     *
     * @param round     a fetch round's step asks only for the first refresh of a placeholder and leaves any other
     *                  key to the next full round ({@link SyncStep.Action#LEAVE}), so that no delta is taken; a full
     *                  round's may promote a replica to the {@link HotLane}, a hot round's may demote it
     * @param promoteAt pushes since its last delta that make an intended replica with no delta in flight hot
     */
    SyncStep syncStep(final long key, final SyncStep.Round round, final int promoteAt, final SyncStep out)
    {
        out.clear();
        final Stripe stripe = table.stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.slotOf(key);
            final SlotState state = slot < 0 ? SlotState.ABSENT : stripe.state(slot);
            if (round == SyncStep.Round.FETCH && state != SlotState.PLACEHOLDER)
            {
                out.action = SyncStep.Action.LEAVE;
                return out;
            }
            if (slot < 0)
            {
                out.action = SyncStep.Action.UNTRACK;
                return out;
            }
            if (state == SlotState.REPLICA && stripe.localizing(key))
            {
                // the main copy a local localize brings may lack a delta taken now (see beginLocalize)
                out.action = SyncStep.Action.LEAVE;
                return out;
            }
            out.slot = slot;
            final boolean active = table.activeIntent(stripe, slot);
            if (state == SlotState.MAIN)
            {
                out.action = active ? SyncStep.Action.MAIN_INTENDED : SyncStep.Action.UNTRACK;
                return out;
            }
            if (state == SlotState.PLACEHOLDER)
            {
                return placeholderStep(stripe, slot, key, active, out);
            }
            if (active && round != SyncStep.Round.FETCH && stripe.deltasInFlight(slot) == 0 &&
                changesLane(stripe, slot, round, promoteAt, out))
            {
                return out;
            }
            if (active && stripe.deltasInFlight(slot) > 0)
            {
                // A delta that missed its owner is chasing the main copy. A refresh now could bring that main copy
                // here without it, hiding the pushes it carries until it came back to be merged here, and a value
                // would be ignored anyway (see refresh): later pushes stay local until the delta arrives.
                out.action = SyncStep.Action.LEAVE;
                return out;
            }
            out.version = stripe.version(slot);
            if (stripe.updated(slot))
            {
                stripe.takeDelta(slot, stripe.syncState(slot), out.deltaRoom(valueLength));
                stripe.deltaTaken(slot);
                stripe.deltasInFlight(slot, stripe.deltasInFlight(slot) + 1);
                out.hasDelta = true;
            }
            if (active)
            {
                out.action = SyncStep.Action.REFRESH;
                out.brief = table.briefIntent(stripe, slot);
                out.hint = stripe.hintOf(slot);
            }
            else if (out.hasDelta || stripe.deltasInFlight(slot) > 0)
            {
                out.action = SyncStep.Action.DROP_AFTER_DELTA;
                out.hint = stripe.hintOf(slot);
            }
            else
            {
                stripe.remove(slot, -1);
                listener.replicaDropped(table.spec().name(), key, memberName);
                out.action = SyncStep.Action.UNTRACK;
            }
            return out;
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /** A placeholder's part of a round: ask for its first refresh while intended, else forget it. */
    private SyncStep placeholderStep(
        final Stripe stripe, final int slot, final long key, final boolean active, final SyncStep out)
    {
        if (active)
        {
            out.action = SyncStep.Action.REFRESH;
            out.brief = table.briefIntent(stripe, slot);
            out.hint = stripe.hintOf(slot);
            out.version = -1;
            if (stripe.arrivals(key) == null)
            {
                stripe.arrivals(key, ArrivalWaiters.NONE);
            }
        }
        else if (stripe.arrivals(key) != null)
        {
            // Its refresh is still in flight. Removed now, the answer would go to a placeholder created for a later
            // intent, which would not know the versions of the remote writes this member completed meanwhile and
            // could take that older answer as its value: kept, the placeholder learns them.
            out.action = SyncStep.Action.LEAVE;
        }
        else
        {
            stripe.remove(slot, -1);
            out.action = SyncStep.Action.UNTRACK;
        }
        return out;
    }

    /**
     * @return true if the intended replica in {@code slot} moves to or from the {@link HotLane} ({@code out} says
     *         which)
     */
    private static boolean changesLane(
        final Stripe stripe, final int slot, final SyncStep.Round round, final int promoteAt, final SyncStep out)
    {
        final int pushes = stripe.pushesSinceDelta(slot);
        if (round == SyncStep.Round.FULL)
        {
            if (pushes < promoteAt)
            {
                return false;
            }
            stripe.quietHotRounds(slot, 0);
            out.action = SyncStep.Action.PROMOTE;
            return true;
        }
        if (pushes > 0)
        {
            stripe.quietHotRounds(slot, 0);
            return false;
        }
        final int quiet = stripe.quietHotRounds(slot) + 1;
        stripe.quietHotRounds(slot, quiet);
        if (quiet < HotLane.DEMOTE_QUIET_ROUNDS)
        {
            return false;
        }
        out.action = SyncStep.Action.DEMOTE;
        return true;
    }

    /**
     * A local worker's {@code localize} of {@code key} starts. The owner hands over its main copy as it has it;
     * installed over a replica here, that value plus what the replica has not shipped would hide a delta the replica
     * shipped and the owner has not merged yet (a worker's completed pushes) until the delta, missing its owner, came
     * back to be merged here. So from now until {@link #endLocalize} sync rounds take no delta of the key
     * ({@link #syncStep}), and the localize asks the owner only once {@link #localizeMayGo} says no delta is in
     * flight any more (at most one round trip: none is taken meanwhile).
     */
    void beginLocalize(final long key)
    {
        countLocalize(key, 1);
    }

    /** @return true unless {@code key} is held here as a replica with a delta in flight (see {@link #beginLocalize}) */
    boolean localizeMayGo(final long key)
    {
        final Stripe stripe = table.stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.slotOf(key);
            return slot < 0 || stripe.state(slot) != SlotState.REPLICA || stripe.deltasInFlight(slot) == 0;
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /** A localize that {@link #beginLocalize} started is over (installed, failed or timed out). */
    void endLocalize(final long key)
    {
        countLocalize(key, -1);
    }

    private void countLocalize(final long key, final int change)
    {
        final Stripe stripe = table.stripe(key);
        final long stamp = stripe.lock();
        try
        {
            stripe.localizing(key, change);
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * Lets a worker's remote request wait for {@code key} to arrive here if it is a placeholder whose refresh is
     * in flight, instead of fetching it remotely.
     *
     * @return true if the request now waits: {@link #arrived} (or the request's own fallback) sends it on
     */
    boolean awaitArrival(final long key, final RemoteRequest request, final int index)
    {
        final Stripe stripe = table.stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final ArrivalWaiters waiters = stripe.arrivals(key);
            if (waiters == null)
            {
                return false;
            }
            final int slot = stripe.slotOf(key);
            if (slot < 0 || stripe.state(slot) != SlotState.PLACEHOLDER)
            {
                return false;
            }
            stripe.arrivals(key, ArrivalWaiters.add(waiters, request, index));
            return true;
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * The sync answer for {@code key} was applied (or its round failed): requests that waited for it go on, on
     * the calling thread.
     */
    void arrived(final long key)
    {
        final Stripe stripe = table.stripe(key);
        final ArrivalWaiters waiters;
        final long stamp = stripe.lock();
        try
        {
            waiters = stripe.arrivals(key);
            if (waiters == null)
            {
                return;
            }
            stripe.arrivals(key, null);
        }
        finally
        {
            stripe.unlock(stamp);
        }
        waiters.release();
    }

    /**
     * A replica's delta did not reach the main copy (the owner had moved, or was lost before it answered). A main
     * copy held here by now takes it at once, unless {@code applied} knows it: the copy was recovered here from the
     * backup of an owner that had merged it (a recovery merges the lost owner's fingerprints before it installs).
     * Reads that waited for the delta since the copy was adopted here go on ({@link AdoptionHolds}). Otherwise the
     * delta stays counted in flight until {@link #deltaDelivered} (its remote push) or {@link #deltaAnswered}.
     *
     * @param fingerprint the delta's {@link AppliedRequests#fingerprint} (the id of the message that carried it)
     * @return true if the delta still needs to be delivered (it was not applied to a local main copy)
     */
    boolean deltaMissed(final long key, final float[] delta, final int offset, final AddScratch scratch,
        final AppliedRequests applied, final long fingerprint)
    {
        final Stripe stripe = table.stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.slotOf(key);
            if (slot >= 0 && stripe.state(slot) == SlotState.MAIN)
            {
                if (!applied.contains(fingerprint))
                {
                    stripe.add(slot, delta, offset, scratch);
                    stripe.bumpVersion(slot);
                }
                adoptions.release(table.spec(), key);
                return false;
            }
            return true;
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /** A delta that missed its owner in a round reached the main copy through a remote push (or gave up). */
    void deltaDelivered(final long key)
    {
        final Stripe stripe = table.stripe(key);
        final long stamp = stripe.lock();
        try
        {
            if (!oneDeltaLess(stripe, stripe.slotOf(key)))
            {
                // the replica became the main copy meanwhile (adopted), whose reads may wait for this delta
                adoptions.release(table.spec(), key);
            }
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * The owner merged a delta this replica sent at {@code sentVersion}. If the owner answered the refresh with
     * that delta without a value ({@code upToDate}: it had nothing newer than {@code sentVersion}), its value at
     * {@code mergedVersion} is exactly the replica's value at {@code sentVersion} plus the delta, so the replica
     * is at {@code mergedVersion} now.
     *
     * @param likelySlot the key's slot at the round's step ({@link Stripe#slotOf(long, int)})
     */
    void deltaAnswered(
        final long key, final int likelySlot, final long sentVersion, final long mergedVersion, final boolean upToDate)
    {
        final Stripe stripe = table.stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.slotOf(key, likelySlot);
            if (!oneDeltaLess(stripe, slot))
            {
                // the replica became the main copy meanwhile (adopted), whose reads may wait for this delta
                adoptions.release(table.spec(), key);
            }
            else if (upToDate && stripe.version(slot) == sentVersion)
            {
                stripe.version(slot, mergedVersion);
            }
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    private static boolean oneDeltaLess(final Stripe stripe, final int slot)
    {
        if (slot < 0 || stripe.state(slot) != SlotState.REPLICA || stripe.deltasInFlight(slot) == 0)
        {
            return false;
        }
        stripe.deltasInFlight(slot, stripe.deltasInFlight(slot) - 1);
        return true;
    }

    /**
     * Applies a refresh from the owner to a replica or placeholder. A refresh older than a version this member
     * already saw through a remote operation is ignored: skipping a refresh only delays it, applying it
     * would take the member's reads back in time (and could hide a worker's own completed write). So is a refresh
     * not newer than the replica (a fetch round's and a full round's answers for the same placeholder may come in
     * either order), and a refresh while a delta of the replica is still being delivered, which the refreshed value
     * may lack.
     *
     * @param likelySlot the key's slot at the round's step ({@link Stripe#slotOf(long, int)})
     */
    void refresh(final long key, final int likelySlot, final float[] main, final int offset, final long version)
    {
        final Stripe stripe = table.stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.slotOf(key, likelySlot);
            if (slot >= 0 && stripe.deltasInFlight(slot) == 0)
            {
                refreshLocked(stripe, slot, main, offset, version);
            }
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    private void refreshLocked(final Stripe stripe, final int slot, final float[] main, final int offset,
        final long version)
    {
        if (stripe.state(slot) == SlotState.MAIN || version < stripe.minVersion(slot))
        {
            return;
        }
        final SlotState state = stripe.state(slot);
        if (state == SlotState.REPLICA)
        {
            if (version <= stripe.version(slot))
            {
                return;
            }
            table.rebase(stripe, slot, main, offset);
        }
        else
        {
            stripe.copyIn(slot, main, offset);
            stripe.state(slot, SlotState.REPLICA);
            listener.replicaSetUp(table.spec().name(), stripe.key(slot), memberName);
            float[] synced = stripe.syncState(slot);
            if (synced == null)
            {
                synced = new float[valueLength];
                stripe.syncState(slot, synced);
            }
            System.arraycopy(main, offset, synced, 0, valueLength);
        }
        stripe.version(slot, version);
    }

    /**
     * A remote pull, push or set of {@code key} by this member was answered by the main copy at
     * {@code version}; {@code values} are the pulled or set value, or the pushed update. A local replica or
     * placeholder learns from it, so that this member's workers see their own completed writes and never read
     * older values than they already saw: a pulled or set value is applied like a refresh at that version; a
     * pushed update is added to the replica's value and to its value at last sync (visible here, never shipped
     * again). Older refreshes still in flight are ignored afterwards. A placeholder whose first refresh is in flight
     * only learns the version.
     */
    void remoteCompleted(final long key, final RequestKind kind, final long version, final float[] values,
        final int offset)
    {
        final Stripe stripe = table.stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.slotOf(key);
            if (slot < 0 || stripe.state(slot) == SlotState.MAIN)
            {
                return;
            }
            if (kind == RequestKind.PUSH)
            {
                if (stripe.state(slot) == SlotState.REPLICA && stripe.version(slot) < version)
                {
                    stripe.addSynced(slot, values, offset, stripe.syncState(slot));
                }
            }
            else if (kind == RequestKind.PULL && stripe.deltasInFlight(slot) > 0)
            {
                // whether the pulled value holds this replica's delta in flight is unknown: rebasing on it could
                // hide the delta's pushes until the next refresh; skipping only delays the newer value
                return;
            }
            else if (stripe.state(slot) == SlotState.PLACEHOLDER ? stripe.arrivals(key) == null :
                stripe.version(slot) < version)
            {
                // A placeholder whose first refresh is in flight stays one: that refresh may come back as the main
                // copy itself, taken before anything a replica here would be pushed and ship meanwhile, and installed
                // over such a replica it would hide a worker's completed push until the delta, missing its owner,
                // came back to be merged here. A placeholder's pushes go to the owner and complete where merged.
                refreshLocked(stripe, slot, values, offset, version);
            }
            if (version > stripe.minVersion(slot))
            {
                stripe.minVersion(slot, version);
            }
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * Drops a replica whose last delta was merged, unless it was updated or intended again meanwhile.
     *
     * @param likelySlot the key's slot at the round's step ({@link Stripe#slotOf(long, int)})
     * @param ownerPeer  the peer that merged the delta, which the key's next lookups try first; {@code -1} if that
     *                   was the key's home (its lookups go there anyway)
     */
    void confirmDrop(final long key, final int likelySlot, final int ownerPeer)
    {
        final Stripe stripe = table.stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.slotOf(key, likelySlot);
            if (slot >= 0 && stripe.state(slot) == SlotState.REPLICA && !stripe.updated(slot) &&
                stripe.deltasInFlight(slot) == 0 && !table.activeIntent(stripe, slot))
            {
                stripe.hintOf(slot, ownerPeer);
                stripe.remove(slot, ownerPeer);
                listener.replicaDropped(table.spec().name(), key, memberName);
            }
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }
}
