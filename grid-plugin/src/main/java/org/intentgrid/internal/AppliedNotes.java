package org.intentgrid.internal;

import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

/**
 * One generation of a stripe's notes of the remote updates applied to its main copies ({@link AppliedRequests}
 * fingerprints, with their keys): for the backup flush that takes them, and, until that flush reached the holder, for
 * a main copy that moves on with a value that includes them ({@link Stripe#appliedTo}). Each entry remembers the
 * member it was last handed to: a hot key moving back and forth within a flush interval hands each entry to each
 * member once, not on every move (the receiver knows it already). Guarded by the stripe's lock.
 */
final class AppliedNotes
{
    private static final int NOT_HANDED = -1;

    private final LongArrayList keys = new LongArrayList();
    private final LongArrayList fingerprints = new LongArrayList();
    private final IntArrayList handedTo = new IntArrayList();

    void add(final long key, final long fingerprint)
    {
        keys.addLong(key);
        fingerprints.addLong(fingerprint);
        handedTo.addInt(NOT_HANDED);
    }

    /** Appends every fingerprint to {@code out}. */
    void fingerprintsTo(final LongArrayList out)
    {
        out.addAll(fingerprints);
    }

    /**
     * Appends to {@code pairs}, as (key, fingerprint), the entries of {@code key} not handed to {@code peer} before,
     * and marks them handed to it.
     *
     * @param peer the receiving member's peer index, or negative if unknown (every entry goes)
     */
    void handOver(final long key, final int peer, final LongArrayList pairs)
    {
        for (int i = 0, n = keys.size(); i < n; i++)
        {
            if (keys.getLong(i) == key && (peer < 0 || handedTo.getInt(i) != peer))
            {
                pairs.addLong(key);
                pairs.addLong(fingerprints.getLong(i));
                handedTo.setInt(i, peer);
            }
        }
    }

    void clear()
    {
        keys.clear();
        fingerprints.clear();
        handedTo.clear();
    }
}
