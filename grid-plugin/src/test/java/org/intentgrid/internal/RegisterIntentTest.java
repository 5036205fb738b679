package org.intentgrid.internal;

import org.intentgrid.TableSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A due intent for a main copy held here asks the sync thread to track it only if no local worker intended the key
 * before: a key keeps an intent in its slot exactly as long as sync rounds (or the intended-main sweep) track it. A
 * replica or placeholder is always handed to the rounds: it may be a main copy handed away while intended, which
 * the sweep holds.
 */
class RegisterIntentTest
{
    private static final long KEY = 7;
    private static final long MAIN_KEY = 8;

    private long clock;
    private final TableStore table = TestTables.store(TableSpec.of("t", 100, 4), () -> clock);
    private final SyncStep step = new SyncStep();

    @Test
    void aReplicaOrPlaceholderIsAlwaysHandedToTheRounds()
    {
        final ReplicaStore replicas = table.replicaStore();
        assertEquals(SyncStep.Action.REFRESH, replicas.registerIntent(KEY, 0, 10), "a new placeholder");
        assertEquals(SyncStep.Action.REFRESH, replicas.registerIntent(KEY, 0, 12), "the same worker again");
        assertEquals(SyncStep.Action.REFRESH, replicas.registerIntent(KEY, 1, 11), "another worker");

        clock = 13;
        assertEquals(SyncStep.Action.UNTRACK,
            replicas.syncStep(KEY, SyncStep.Round.FULL, Integer.MAX_VALUE, step).action,
            "every intent expired: the placeholder goes, and the rounds stop tracking it");
        assertEquals(SyncStep.Action.REFRESH, replicas.registerIntent(KEY, 0, 20), "a new intent tracks it again");
    }

    @Test
    void anIntendedMainCopyIsHandedToTheSweepOnce()
    {
        underLock(() -> table.materialize(table.stripe(MAIN_KEY), MAIN_KEY, -1, 0, 0));
        final ReplicaStore replicas = table.replicaStore();
        assertEquals(SyncStep.Action.MAIN_INTENDED, replicas.registerIntent(MAIN_KEY, 0, 5));
        assertEquals(SyncStep.Action.LEAVE, replicas.registerIntent(MAIN_KEY, 0, 6));
        assertEquals(SyncStep.Action.MAIN_INTENDED, replicas.checkIntendedMain(MAIN_KEY));

        clock = 6;
        assertEquals(SyncStep.Action.UNTRACK, replicas.checkIntendedMain(MAIN_KEY), "its intent expired");
        assertEquals(SyncStep.Action.MAIN_INTENDED, replicas.registerIntent(MAIN_KEY, 0, 9), "and is tracked anew");
    }

    @Test
    void aMainCopyHandedAwayWhileIntendedGoesBackToTheRounds()
    {
        final Stripe stripe = table.stripe(MAIN_KEY);
        underLock(() -> table.materialize(stripe, MAIN_KEY, -1, 0, 0));
        final ReplicaStore replicas = table.replicaStore();
        assertEquals(SyncStep.Action.MAIN_INTENDED, replicas.registerIntent(MAIN_KEY, 0, 5));
        underLock(() -> table.take(stripe, stripe.slotOf(MAIN_KEY), new float[4], 0, 1));
        assertEquals(SyncStep.Action.REFRESH, replicas.registerIntent(MAIN_KEY, 0, 6),
            "the placeholder it left is fetched by the next round, not after the sweep");
    }

    /** Runs {@code action} holding the lock of {@link #MAIN_KEY}'s stripe, as the store's callers do. */
    private void underLock(final Runnable action)
    {
        final Stripe stripe = table.stripe(MAIN_KEY);
        final long stamp = stripe.lock();
        try
        {
            action.run();
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }
}
