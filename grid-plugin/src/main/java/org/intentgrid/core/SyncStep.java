package org.intentgrid.core;

/** What one key's sync step decided; reused across keys by the sync thread. */
final class SyncStep
{
    /** The key needs nothing this round (a main copy still intended here). */
    static final int NOTHING = 0;
    /** Ask the owner for a refresh (with the delta, if any). */
    static final int REFRESH = 1;
    /** Send the last delta; drop the replica once the owner merged it. */
    static final int DROP_AFTER_DELTA = 2;
    /** Stop tracking the key: no local copy or intent left that needs syncing. */
    static final int UNTRACK = 3;

    int action;
    /** Version before anticipating the delta's merge; -1 for a placeholder. */
    long version;
    float[] delta;

    void clear()
    {
        action = NOTHING;
        version = 0;
        delta = null;
    }
}
