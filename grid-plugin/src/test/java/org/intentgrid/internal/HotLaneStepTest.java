package org.intentgrid.internal;

import org.intentgrid.TableSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full round's step hands a replica with many pushes since its last delta to the {@link HotLane} without taking its
 * delta (the hot round takes it), and a hot round's step hands it back after {@link HotLane#DEMOTE_QUIET_ROUNDS}
 * rounds in a row without a push.
 */
class HotLaneStepTest
{
    private static final long KEY = 7;
    private static final int LENGTH = 4;

    private final TableStore table = TestTables.store(TableSpec.of("t", 100, LENGTH), () -> 0);
    private final ReplicaStore replicas = table.replicaStore();
    private final SyncStep step = new SyncStep();
    private final AddScratch scratch = new AddScratch(LENGTH);

    @Test
    void aReplicaPushedToOftenMovesToTheHotLaneWithItsDeltaAndBackOnceQuiet()
    {
        intendedReplica();
        push(HotLane.PROMOTE_PUSHES - 1);
        assertEquals(SyncStep.Action.REFRESH, full().action, "one push short of hot");
        assertTrue(step.hasDelta);
        answer();

        push(HotLane.PROMOTE_PUSHES);
        assertEquals(SyncStep.Action.PROMOTE, full().action);
        assertFalse(step.hasDelta, "the delta stays for the hot round");
        assertEquals(SyncStep.Action.REFRESH, hot().action);
        assertTrue(step.hasDelta, "the hot round takes it");
        assertEquals(HotLane.PROMOTE_PUSHES, step.delta[0], 0f, "every push since the last delta");
        answer();

        for (int round = 1; round < HotLane.DEMOTE_QUIET_ROUNDS; round++)
        {
            assertEquals(SyncStep.Action.REFRESH, hot().action, "quiet hot round " + round + " still refreshes");
        }
        push(1);
        assertEquals(SyncStep.Action.REFRESH, hot().action, "a push starts the count again");
        answer();
        for (int round = 1; round < HotLane.DEMOTE_QUIET_ROUNDS; round++)
        {
            assertEquals(SyncStep.Action.REFRESH, hot().action);
        }
        assertEquals(SyncStep.Action.DEMOTE, hot().action, "back to its channel");
    }

    @Test
    void aReplicaWithADeltaInFlightOrAFullLaneStaysInItsChannel()
    {
        intendedReplica();
        push(1);
        assertEquals(SyncStep.Action.REFRESH, full().action);
        push(HotLane.PROMOTE_PUSHES);
        assertEquals(SyncStep.Action.LEAVE, full().action, "its last delta is not answered yet");
        answer();

        push(HotLane.PROMOTE_PUSHES);
        assertEquals(SyncStep.Action.REFRESH,
            replicas.syncStep(KEY, SyncStep.Round.FULL, Integer.MAX_VALUE, step).action, "the lane is full");
        answer();
        push(HotLane.PROMOTE_PUSHES);
        assertEquals(SyncStep.Action.LEAVE, replicas.syncStep(KEY, SyncStep.Round.FETCH, 1, step).action,
            "a fetch round takes no delta and moves nothing");
    }

    private void intendedReplica()
    {
        assertEquals(SyncStep.Action.REFRESH, replicas.registerIntent(KEY, 0, 1_000));
        replicas.refresh(KEY, 0, new float[LENGTH], 0, 1);
    }

    private void push(final int times)
    {
        for (int i = 0; i < times; i++)
        {
            assertEquals(SlotState.REPLICA, table.pushLocal(KEY, new float[] {1, 1, 1, 1}, 0, scratch));
        }
    }

    private SyncStep full()
    {
        return replicas.syncStep(KEY, SyncStep.Round.FULL, HotLane.PROMOTE_PUSHES, step);
    }

    private SyncStep hot()
    {
        return replicas.syncStep(KEY, SyncStep.Round.HOT, Integer.MAX_VALUE, step);
    }

    /** The owner merged the step's delta and had nothing newer. */
    private void answer()
    {
        replicas.deltaAnswered(KEY, 0, 1, 1, false);
    }
}
