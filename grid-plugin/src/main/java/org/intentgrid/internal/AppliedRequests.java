package org.intentgrid.internal;

import org.agrona.collections.LongHashSet;
import org.intentgrid.Hashing;

/**
 * Which remote updates were applied: one 64-bit fingerprint per (request id, key), so that a push or a replica
 * delta retried after its answer was lost — the owner crashed after its backup got the update, or the answer timed
 * out — is applied once. An owner keeps the fingerprints of the updates it applied and ships them to its backup
 * with the values they changed; a backup holder that recovers a lost member's keys takes over its fingerprints.
 * <p>
 * Only recent requests can be retried, so the set keeps two generations of {@link #GENERATION} fingerprints and
 * forgets the older one when the newer fills up; the forgotten generation's table holds the next one. Thread-safe.
 */
final class AppliedRequests
{
    /** Fingerprints per generation: far more than the updates in flight when a member is lost. */
    static final int GENERATION = 1 << 20;
    /**
     * Fingerprints added under one hold of the lock when many are added: pushes served on Hazelcast's partition and
     * generic threads record theirs under it, and a recovery that took a lost member's two million in one hold
     * kept those threads waiting for as long as that took on a loaded machine.
     */
    private static final int BULK_CHUNK = 4096;

    private LongHashSet current = new LongHashSet();
    private LongHashSet previous = new LongHashSet();

    /** @return the fingerprint of the update of {@code key} by request {@code requestId} */
    static long fingerprint(final long requestId, final long key)
    {
        return Hashing.mix64(requestId ^ Hashing.mix64(key + 0x9E3779B97F4A7C15L));
    }

    /** @return true if the update was applied (or taken over) here already */
    synchronized boolean contains(final long fingerprint)
    {
        return current.contains(fingerprint) || previous.contains(fingerprint);
    }

    /**
     * Records an applied update unless it was recorded already.
     *
     * @return true if it is new (apply it), false if it was applied before (skip it)
     */
    synchronized boolean add(final long fingerprint)
    {
        if (previous.contains(fingerprint))
        {
            return false;
        }
        if (current.size() >= GENERATION)
        {
            // the older generation's table is reused at its full size: a fresh set grew to 16 MB again by doubling,
            // each step a new array for the partition and generic threads to fill (and the kernel to fault in)
            final LongHashSet oldest = previous;
            oldest.clear();
            previous = current;
            current = oldest;
        }
        return current.add(fingerprint);
    }

    /** Records every fingerprint of {@code fingerprints}, a chunk at a time. */
    void addAll(final long[] fingerprints)
    {
        for (int from = 0; from < fingerprints.length; from += BULK_CHUNK)
        {
            final int to = Math.min(fingerprints.length, from + BULK_CHUNK);
            synchronized (this)
            {
                for (int i = from; i < to; i++)
                {
                    add(fingerprints[i]);
                }
            }
        }
    }

    /** Records every fingerprint another set holds (a lost member's, taken over by its backup holder). */
    void addAll(final AppliedRequests other)
    {
        final long[] copied;
        synchronized (other)
        {
            copied = new long[other.previous.size() + other.current.size()];
            int n = 0;
            for (final LongHashSet.LongIterator it = other.previous.iterator(); it.hasNext(); )
            {
                copied[n++] = it.nextValue();
            }
            for (final LongHashSet.LongIterator it = other.current.iterator(); it.hasNext(); )
            {
                copied[n++] = it.nextValue();
            }
        }
        addAll(copied);
    }
}
