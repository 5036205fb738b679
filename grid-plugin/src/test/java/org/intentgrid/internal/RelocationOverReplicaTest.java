package org.intentgrid.internal;

import org.intentgrid.TableSpec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A main copy relocated here never hides a push that completed on the replica it replaces (read your writes under
 * relocation). The owner takes the main copy as it has it; installed over a replica, the value becomes that main copy
 * plus what the replica has not shipped, so a delta the replica shipped and the owner has not merged yet would stay
 * hidden until it came back, missing its owner, to be merged here. Three ways to that, closed here:
 * <ul>
 * <li>a remote pull's answer turned a placeholder whose first refresh was in flight into a replica, a push completed
 * on it and the next full round shipped it, and then the refresh came back as the main copy (once in CI,
 * {@code ManyKeyOperationsTest} in relocation-only mode). The placeholder now stays one and only learns the pull's
 * version; with no refresh in flight the answer sets up a replica as before;</li>
 * <li>a replica whose delta missed its owner and is chasing the main copy asked for a refresh, which could relocate
 * the main copy here before the delta reached it. Such a replica now asks for nothing until the delta arrived;</li>
 * <li>a worker's {@code localize} of a key held here as a replica could bring the main copy before a delta of that
 * replica reached it. Sync rounds now take no delta of the key while a localize is on its way, and the localize asks
 * the owner once the replica has no delta in flight;</li>
 * <li>a member that leaves hands its main copies over without waiting for other members' rounds, so one can be adopted
 * over a replica whose delta is on its way to the leaver, merged there or not. The key's reads here now wait
 * ({@link AdoptionHolds}) until every such delta was answered, merged here after it missed, or delivered.</li>
 * </ul>
 * And a reader's step back in time: a placeholder that a main copy left behind when it moved on (still intended here)
 * took a refresh answered before the main copy came here, older than the pushes made to it here; it now takes no
 * refresh older than that main copy; and a placeholder whose intent ended while its refresh was in flight stays until
 * the answer came, so that the answer cannot become the value of a placeholder created later, which would not know
 * the versions of the remote writes completed meanwhile. And the opposite of a hidden push, one counted twice: a main
 * copy recovered here from a lost owner's backup that holds the replica's delta in flight no longer takes the delta
 * again when it misses (the lost owner's fingerprints, merged by the recovery, know it).
 */
class RelocationOverReplicaTest
{
    private static final long KEY = 7;
    private static final int LENGTH = 4;
    private static final float[] PULLED = {10, 10, 10, 10};
    private static final float[] ONES = {1, 1, 1, 1};
    /** The id of the sync message that carried the replica's delta. */
    private static final long DELTA_REQUEST = 77;

    private long clock;
    private final ReadHolds holds = new ReadHolds(60_000);
    private final TableStore table = TestTables.store(TableSpec.of("t", 100, LENGTH), () -> clock, holds.adoptions);
    private final ReplicaStore replicas = table.replicaStore();
    private final SyncStep step = new SyncStep();
    private final AddScratch scratch = new AddScratch(LENGTH);
    private final AppliedRequests applied = new AppliedRequests();

    @Test
    void aPullAnsweredWhileTheFirstRefreshIsInFlightLeavesAPlaceholderWhosePushesGoToTheOwner()
    {
        placeholder();
        assertEquals(SyncStep.Action.REFRESH, replicas.syncStep(KEY, SyncStep.Round.FETCH, 1, step).action);
        assertTrue(step.version < 0, "the fetch round asks for the placeholder's first refresh");

        replicas.remoteCompleted(KEY, RequestKind.PULL, 5, PULLED, 0);

        assertEquals(SlotState.ABSENT, table.pushLocal(KEY, ONES, 0, scratch),
            "a push must not complete on a copy that the refresh in flight may replace with an older main copy");
        assertEquals(SlotState.ABSENT, table.pullLocal(KEY, new float[LENGTH], 0));

        table.install(KEY, PULLED, 0, 1, 6);
        assertReads(SlotState.MAIN, PULLED, "the relocated main copy as the owner sent it");
    }

    @Test
    void thePlaceholderKeepsThePulledVersionSoThatAnOlderRefreshIsIgnored()
    {
        placeholder();
        replicas.syncStep(KEY, SyncStep.Round.FETCH, 1, step);
        replicas.remoteCompleted(KEY, RequestKind.PULL, 5, PULLED, 0);
        replicas.arrived(KEY);

        replicas.refresh(KEY, -1, new float[] {3, 3, 3, 3}, 0, 4);
        assertEquals(SlotState.ABSENT, table.pullLocal(KEY, new float[LENGTH], 0),
            "a refresh older than the value a worker already read would take its reads back in time");

        replicas.refresh(KEY, -1, PULLED, 0, 5);
        assertReads(SlotState.REPLICA, PULLED, "a refresh as new as the pull sets up the replica");
    }

    @Test
    void aPullAnsweredWithNoRefreshInFlightSetsUpAReplica()
    {
        placeholder();

        replicas.remoteCompleted(KEY, RequestKind.PULL, 5, PULLED, 0);

        assertReads(SlotState.REPLICA, PULLED, "the pull's answer set up a replica");
        assertEquals(SlotState.REPLICA, table.pushLocal(KEY, ONES, 0, scratch));
        assertShipsOnePush("the full round ships the push as the replica's delta");
    }

    @Test
    void aReplicaWhoseDeltaIsChasingItsOwnerAsksForNoRefreshUntilTheDeltaArrived()
    {
        replicaWithADeltaInFlight();
        assertTrue(missed(), "no main copy here: a remote push delivers it");

        assertEquals(SlotState.REPLICA, table.pushLocal(KEY, ONES, 0, scratch));
        assertEquals(SyncStep.Action.LEAVE, full().action,
            "a refresh could relocate the main copy here before the delta reached it");
        assertReads(SlotState.REPLICA, new float[] {12, 12, 12, 12}, "both pushes stay visible here");

        replicas.deltaDelivered(KEY);
        assertShipsOnePush("the push made meanwhile goes with the next refresh");
    }

    @Test
    void aLocalizeWaitsForTheReplicasDeltaInFlightAndNoDeltaIsTakenWhileItIsOnItsWay()
    {
        replicaWithADeltaInFlight();
        replicas.beginLocalize(KEY);
        assertFalse(replicas.localizeMayGo(KEY), "the owner may hand over its main copy before the delta reaches it");
        assertEquals(SlotState.REPLICA, table.pushLocal(KEY, ONES, 0, scratch));
        assertEquals(SyncStep.Action.LEAVE, full().action, "a delta taken now could miss the main copy on its way");

        replicas.deltaAnswered(KEY, -1, 5, 6, false);
        assertTrue(replicas.localizeMayGo(KEY));
        assertEquals(SyncStep.Action.LEAVE, full().action, "still none while the localize is on its way");

        table.install(KEY, new float[] {11, 11, 11, 11}, 0, 1, 6);
        replicas.endLocalize(KEY);
        assertReads(SlotState.MAIN, new float[] {12, 12, 12, 12}, "the owner's value and the push made meanwhile");
    }

    @Test
    void aLocalizeThatEndsWithoutTheMainCopyLetsTheReplicaShipItsPushes()
    {
        placeholder();
        replicas.refresh(KEY, -1, PULLED, 0, 5);
        replicas.beginLocalize(KEY);
        replicas.beginLocalize(KEY);
        assertEquals(SlotState.REPLICA, table.pushLocal(KEY, ONES, 0, scratch));
        replicas.endLocalize(KEY);
        assertEquals(SyncStep.Action.LEAVE, full().action, "a second worker's localize is still on its way");

        replicas.endLocalize(KEY);
        assertShipsOnePush("once no localize is on its way, the push goes with the next refresh");
    }

    @Test
    void aPlaceholderLeftByAMainCopyThatMovedOnIgnoresARefreshAnsweredBeforeTheMainCopyCame()
    {
        placeholder();
        assertEquals(SyncStep.Action.REFRESH, full().action, "a refresh is asked for; its answer comes late");
        table.install(KEY, PULLED, 0, 1, 5);
        assertEquals(SlotState.MAIN, table.pushLocal(KEY, ONES, 0, scratch));
        final Stripe stripe = table.stripe(KEY);
        final long stamp = stripe.lock();
        try
        {
            table.take(stripe, stripe.slotOf(KEY), new float[LENGTH], 0, 1);
        }
        finally
        {
            stripe.unlock(stamp);
        }
        assertEquals(SlotState.ABSENT, table.pullLocal(KEY, new float[LENGTH], 0), "a placeholder stays (intended)");

        replicas.refresh(KEY, -1, PULLED, 0, 5);
        assertEquals(SlotState.ABSENT, table.pullLocal(KEY, new float[LENGTH], 0),
            "the late answer lacks the push this member made to the main copy");

        replicas.refresh(KEY, -1, new float[] {11, 11, 11, 11}, 0, 6);
        assertReads(SlotState.REPLICA, new float[] {11, 11, 11, 11}, "the new owner's value");
    }

    @Test
    void aPlaceholderWhoseIntentEndedStaysWhileItsRefreshIsInFlightAndLearnsTheVersionsOfLaterWrites()
    {
        placeholder();
        assertEquals(SyncStep.Action.REFRESH, replicas.syncStep(KEY, SyncStep.Round.FETCH, 1, step).action);
        clock = 2_000;
        assertEquals(SyncStep.Action.LEAVE, full().action, "its intent ended, but its refresh is still in flight");

        replicas.remoteCompleted(KEY, RequestKind.PUSH, 7, ONES, 0);
        assertEquals(SyncStep.Action.REFRESH, replicas.registerIntent(KEY, 0, 3_000), "intended again");
        replicas.refresh(KEY, -1, PULLED, 0, 5);
        assertEquals(SlotState.ABSENT, table.pullLocal(KEY, new float[LENGTH], 0),
            "the refresh was answered before this member's push completed at version 7");
        replicas.arrived(KEY);

        clock = 4_000;
        assertEquals(SyncStep.Action.UNTRACK, full().action, "no refresh in flight any more");
        assertEquals(SlotState.ABSENT, table.pullLocal(KEY, new float[LENGTH], 0));
    }

    @Test
    void anAdoptedMainCopyIsUnreadableUntilTheDeltaThatMissedTheLeaverIsMergedHere()
    {
        replicaWithADeltaInFlight();

        table.adopt(KEY, PULLED, 0, 1, 6);
        assertHeld(true, "the leaver handed its copy over before the delta reached it");
        assertReads(SlotState.MAIN, PULLED, "what a read would see without the hold: the worker's push is missing");

        assertFalse(missed(), "the main copy here takes the delta");
        assertHeld(false, "the delta was merged here");
        assertReads(SlotState.MAIN, new float[] {11, 11, 11, 11}, "the leaver's value and the push");
    }

    @Test
    void anAdoptedMainCopyIsUnreadableUntilTheLeaverAnswersThatItMergedTheDelta()
    {
        replicaWithADeltaInFlight();
        assertEquals(SlotState.REPLICA, table.pushLocal(KEY, ONES, 0, scratch));

        table.adopt(KEY, new float[] {11, 11, 11, 11}, 0, 1, 6);
        assertHeld(true, "whether the leaver's copy holds the delta is known only from its answer");

        replicas.deltaAnswered(KEY, -1, 5, 6, false);
        assertHeld(false, "the leaver merged it before it handed its copy over");
        assertReads(SlotState.MAIN, new float[] {12, 12, 12, 12}, "the leaver's value and the push not shipped");
    }

    @Test
    void anAdoptedMainCopyIsUnreadableUntilTheDeltaChasingItArrives()
    {
        replicaWithADeltaInFlight();
        assertTrue(missed(), "no main copy here yet: a remote push chases it");

        table.adopt(KEY, PULLED, 0, 1, 6);
        assertHeld(true, "the remote push may reach the leaver after it handed its copy over");

        replicas.deltaDelivered(KEY);
        assertHeld(false, "the remote push reached the main copy, here or before it left");
    }

    @Test
    void aMainCopyAdoptedOverAReplicaWithNothingInFlightOrRelocatedHereHoldsNothing()
    {
        placeholder();
        replicas.refresh(KEY, -1, PULLED, 0, 5);
        assertEquals(SlotState.REPLICA, table.pushLocal(KEY, ONES, 0, scratch));
        table.adopt(KEY, PULLED, 0, 1, 6);
        assertHeld(false, "the push not shipped stays in the copy");
        assertReads(SlotState.MAIN, new float[] {11, 11, 11, 11}, "the leaver's value and the push");

        final long other = KEY + 1;
        assertEquals(SyncStep.Action.REFRESH, replicas.registerIntent(other, 0, 1_000));
        replicas.refresh(other, -1, PULLED, 0, 5);
        assertEquals(SlotState.REPLICA, table.pushLocal(other, ONES, 0, scratch));
        assertEquals(SyncStep.Action.REFRESH, replicas.syncStep(other, SyncStep.Round.FULL, Integer.MAX_VALUE, step)
            .action);
        table.install(other, new float[] {11, 11, 11, 11}, 0, 1, 6);
        assertFalse(holds.unreadable(table.spec(), other), "a relocation answers the delta it carries itself");
    }

    @Test
    void anAdoptionHoldEndsAfterItsLongestWaitEvenIfNoAnswerCame() throws InterruptedException
    {
        final ReadHolds briefHolds = new ReadHolds(1);
        final TableStore briefTable = TestTables.store(table.spec(), () -> clock, briefHolds.adoptions);
        final ReplicaStore briefReplicas = briefTable.replicaStore();
        assertEquals(SyncStep.Action.REFRESH, briefReplicas.registerIntent(KEY, 0, 1_000));
        briefReplicas.refresh(KEY, -1, PULLED, 0, 5);
        assertEquals(SlotState.REPLICA, briefTable.pushLocal(KEY, ONES, 0, scratch));
        briefReplicas.syncStep(KEY, SyncStep.Round.FULL, Integer.MAX_VALUE, step);
        briefTable.adopt(KEY, PULLED, 0, 1, 6);
        assertTrue(briefHolds.any(), "held");

        Thread.sleep(20);
        assertFalse(briefHolds.unreadable(table.spec(), KEY), "a lost answer must not keep the key unreadable");
        assertFalse(briefHolds.any(), "and the read path stops asking");
    }

    @Test
    void aDeltaWhoseOwnerWasLostIsNotMergedAgainIntoTheCopyRecoveredHereFromABackupThatHasIt()
    {
        replicaWithADeltaInFlight();
        applied.add(AppliedRequests.fingerprint(DELTA_REQUEST, KEY));
        table.installRecovered(KEY, new float[] {11, 11, 11, 11}, 0, 1, 6);
        assertHeld(true, "whether the backup holds the delta is known once its message failed");

        assertFalse(missed(), "the recovered copy is the main copy here now");
        assertHeld(false, "the delta's message failed");
        assertReads(SlotState.MAIN, new float[] {11, 11, 11, 11}, "the lost owner's backup held the delta: once");
    }

    /** The delta {@link #replicaWithADeltaInFlight} took missed its owner. */
    private boolean missed()
    {
        return replicas.deltaMissed(KEY, step.delta, 0, scratch, applied,
            AppliedRequests.fingerprint(DELTA_REQUEST, KEY));
    }

    private void assertHeld(final boolean held, final String why)
    {
        assertEquals(held, holds.any(), why);
        assertEquals(held, holds.unreadable(table.spec(), KEY), why);
    }

    /** A replica at version 5 holding 10 + 1, whose push a full round took as a delta, not answered yet. */
    private void replicaWithADeltaInFlight()
    {
        placeholder();
        replicas.refresh(KEY, -1, PULLED, 0, 5);
        assertEquals(SlotState.REPLICA, table.pushLocal(KEY, ONES, 0, scratch));
        assertEquals(SyncStep.Action.REFRESH, full().action);
        assertTrue(step.hasDelta);
    }

    /** Reads the key here: served from a copy in {@code state}, with {@code expected} in every element. */
    private void assertReads(final SlotState state, final float[] expected, final String why)
    {
        final float[] read = new float[LENGTH];
        assertEquals(state, table.pullLocal(KEY, read, 0), why);
        assertArrayEquals(expected, read, 0f, why);
    }

    /** A full round's step asks for a refresh and ships one push of {@link #ONES} as the replica's delta. */
    private void assertShipsOnePush(final String why)
    {
        assertEquals(SyncStep.Action.REFRESH, full().action, why);
        assertTrue(step.hasDelta, why);
        assertArrayEquals(ONES, Arrays.copyOf(step.delta, LENGTH), 0f, why);
    }

    private SyncStep full()
    {
        return replicas.syncStep(KEY, SyncStep.Round.FULL, Integer.MAX_VALUE, step);
    }

    private void placeholder()
    {
        assertEquals(SyncStep.Action.REFRESH, replicas.registerIntent(KEY, 0, 1_000));
        assertEquals(SlotState.ABSENT, table.pullLocal(KEY, new float[LENGTH], 0), "a placeholder serves no read");
    }
}
