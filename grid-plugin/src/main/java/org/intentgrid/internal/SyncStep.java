package org.intentgrid.internal;

/** What one key's sync step decided; reused across keys by the sync thread. */
final class SyncStep
{
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
        UNTRACK
    }

    Action action;
    /** Version before anticipating the delta's merge; -1 for a placeholder. */
    long version;
    float[] delta;

    void clear()
    {
        action = Action.MAIN_INTENDED;
        version = 0;
        delta = null;
    }
}
