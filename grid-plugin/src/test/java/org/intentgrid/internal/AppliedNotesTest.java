package org.intentgrid.internal;

import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A stripe's notes of applied remote updates: a moving key takes its own entries along, each to each member once;
 * a flush takes every fingerprint, a full resync those of the flush before too, and a flush that reached the holder
 * ends what moving keys carry of it.
 */
class AppliedNotesTest
{
    private static final int PEER_B = 1;
    private static final int PEER_C = 2;

    @Test
    void aKeyTakesItsOwnEntriesToEachMemberOnce()
    {
        final AppliedNotes notes = new AppliedNotes();
        notes.add(7, 70);
        notes.add(8, 80);
        notes.add(7, 71);

        assertArrayEquals(new long[] {7, 70, 7, 71}, handedOver(notes, 7, PEER_B), "key 7's entries, not key 8's");
        assertArrayEquals(new long[0], handedOver(notes, 7, PEER_B), "b knows them now");
        notes.add(7, 72);
        assertArrayEquals(new long[] {7, 72}, handedOver(notes, 7, PEER_B), "only what came since");
        assertArrayEquals(new long[] {7, 70, 7, 71, 7, 72}, handedOver(notes, 7, PEER_C), "c learns them all");
        assertArrayEquals(new long[] {7, 70, 7, 71, 7, 72}, handedOver(notes, 7, -1), "to an unknown member: all");
    }

    @Test
    void aStripeKeepsWhatAFlushTookUntilItReachedTheHolder()
    {
        final Stripe stripe = new Stripe(4, 16);
        stripe.noteApplied(5, 50);
        final LongArrayList flushed = new LongArrayList();
        stripe.takeApplied(flushed, false);
        assertArrayEquals(new long[] {50}, flushed.toLongArray());
        stripe.noteApplied(5, 51);
        assertArrayEquals(new long[] {5, 50, 5, 51}, appliedTo(stripe, 5), "the flush may not have reached the holder");

        final LongArrayList resync = new LongArrayList();
        stripe.takeApplied(resync, true);
        assertArrayEquals(new long[] {50, 51}, resync.toLongArray(), "a resync takes the last flush's too");

        stripe.forgetFlushedApplied();
        assertArrayEquals(new long[0], appliedTo(stripe, 5), "the holder has them all");
    }

    private static long[] handedOver(final AppliedNotes notes, final long key, final int peer)
    {
        final LongArrayList pairs = new LongArrayList();
        notes.handOver(key, peer, pairs);
        return pairs.toLongArray();
    }

    private static long[] appliedTo(final Stripe stripe, final long key)
    {
        final LongArrayList pairs = new LongArrayList();
        stripe.appliedTo(key, -1, pairs);
        return pairs.toLongArray();
    }
}
