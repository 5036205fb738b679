package org.intentgrid.internal;

/**
 * What the sync protocol remembers of one local copy beyond its slot header: the replica's value as of its last
 * sync, the intent ends of several local workers, and the newest main-copy version seen through a remote
 * operation. Only
 * keys that sync rounds look at have notes; the slot header holds the notes' number in the stripe
 * ({@link Stripe#notes}), so that a round's step finds them without a hash lookup of its own. Notes no key uses
 * any more are reused by the stripe's next key that needs notes.
 */
final class KeyNotes
{
    /** The replica's value as of its last sync; null for a placeholder or a main copy. */
    float[] synced;
    /**
     * End clocks of local intents per worker index, -1 for none, while several workers intend the key (one worker's
     * intent lives in the slot header, {@link SlotMemory#intentWorker}); else null.
     */
    long[] intentEnds;
    /** The newest main-copy version this member saw for the key through remote operations, or -1. */
    long minVersion = -1;
    /** @return true if nothing is noted: the notes can go back to the stripe */
    boolean isEmpty()
    {
        return synced == null && intentEnds == null && minVersion < 0;
    }

    void clear()
    {
        synced = null;
        intentEnds = null;
        minVersion = -1;
    }
}
