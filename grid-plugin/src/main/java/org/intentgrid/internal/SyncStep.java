package org.intentgrid.internal;

/** What one key's sync step decided; reused across keys by the sync thread. */
final class SyncStep
{
    /** Which kind of round takes the step. */
    enum Round
    {
        /** A channel's round over every key it tracks: deltas, refreshes, drops. */
        FULL,
        /** A fetch round between full rounds: only a new placeholder's first refresh. */
        FETCH,
        /** A round of the {@link HotLane}: the replicas pushed to most, as often as the rate limit allows. */
        HOT
    }

    /** What the sync round does with the key. */
    enum Action
    {
        /**
         * A main copy still intended here: nothing to send. Such keys leave the channel's per-round set for its
         * intended main copies, which only a periodic sweep looks at.
         */
        MAIN_INTENDED,
        /** Ask the owner for a refresh (with the delta, if any). */
        REFRESH,
        /** Send the last delta; drop the replica once the owner merged it. */
        DROP_AFTER_DELTA,
        /** Stop tracking the key: no local copy or intent left that needs syncing. */
        UNTRACK,
        /** Nothing in this fetch round: the key is no placeholder (any more), so the next full round syncs it. */
        LEAVE,
        /**
         * A replica with many pushes since its last delta: nothing in this full round, the {@link HotLane} syncs it
         * from its next round on (a delta is in one round's message at a time).
         */
        PROMOTE,
        /** A replica of the hot lane that several hot rounds in a row found without pushes: back to its channel. */
        DEMOTE
    }

    Action action;
    /** The key's slot in its stripe, for the answer to find it again ({@link Stripe#slotOf(long, int)}); -1 if none. */
    int slot;
    /** With {@link Action#REFRESH} or {@link Action#DROP_AFTER_DELTA}: the key's route hint, -1 if none. */
    int hint;
    /** The main-copy version the replica is based on; -1 for a placeholder. */
    long version;
    /** Whether {@link #delta} holds a replica's delta for this key. */
    boolean hasDelta;
    /** With {@link Action#REFRESH}: the local intents for the key end soon ({@link SyncBatch#BRIEF}). */
    boolean brief;
    /** The delta, in the first {@code valueLength} floats; reused across keys. */
    float[] delta = new float[0];

    void clear()
    {
        action = Action.MAIN_INTENDED;
        slot = -1;
        hint = -1;
        version = 0;
        hasDelta = false;
        brief = false;
    }

    /** @return the delta array, with room for {@code length} floats */
    float[] deltaRoom(final int length)
    {
        if (delta.length < length)
        {
            delta = new float[length];
        }
        return delta;
    }
}
