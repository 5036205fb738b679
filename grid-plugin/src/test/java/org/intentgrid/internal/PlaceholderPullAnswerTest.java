package org.intentgrid.internal;

import org.intentgrid.TableSpec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a remote pull's answer does to a placeholder (read your writes under relocation). While the placeholder's
 * first refresh is in flight, that refresh may come back as the main copy itself, taken by the owner before anything
 * this member pushes meanwhile. Had the pull's answer made the placeholder a replica, a worker's push would complete
 * on that replica, a full round would ship it as a delta, and the main copy installed over the replica would lack it
 * until the delta, missing its owner, came back to be merged: the worker's next pull would not see its own completed
 * push (once in CI, {@code ManyKeyOperationsTest} in relocation-only mode). So the placeholder stays one and only
 * learns the pull's version; with no refresh in flight the answer sets up a replica as before.
 */
class PlaceholderPullAnswerTest
{
    private static final long KEY = 7;
    private static final int LENGTH = 4;
    private static final float[] PULLED = {10, 10, 10, 10};
    private static final float[] ONES = {1, 1, 1, 1};

    private final TableStore table = TestTables.store(TableSpec.of("t", 100, LENGTH), () -> 0);
    private final ReplicaStore replicas = table.replicaStore();
    private final SyncStep step = new SyncStep();
    private final AddScratch scratch = new AddScratch(LENGTH);

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
        final float[] read = new float[LENGTH];
        assertEquals(SlotState.MAIN, table.pullLocal(KEY, read, 0));
        assertArrayEquals(PULLED, read, 0f, "the relocated main copy as the owner sent it");
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
        final float[] read = new float[LENGTH];
        assertEquals(SlotState.REPLICA, table.pullLocal(KEY, read, 0));
        assertArrayEquals(PULLED, read, 0f);
    }

    @Test
    void aPullAnsweredWithNoRefreshInFlightSetsUpAReplica()
    {
        placeholder();

        replicas.remoteCompleted(KEY, RequestKind.PULL, 5, PULLED, 0);

        final float[] read = new float[LENGTH];
        assertEquals(SlotState.REPLICA, table.pullLocal(KEY, read, 0));
        assertArrayEquals(PULLED, read, 0f);
        assertEquals(SlotState.REPLICA, table.pushLocal(KEY, ONES, 0, scratch));
        assertEquals(SyncStep.Action.REFRESH, replicas.syncStep(KEY, SyncStep.Round.FULL, Integer.MAX_VALUE, step)
            .action);
        assertTrue(step.hasDelta, "the full round ships the push as the replica's delta");
        assertArrayEquals(ONES, Arrays.copyOf(step.delta, LENGTH), 0f);
    }

    private void placeholder()
    {
        assertEquals(SyncStep.Action.REFRESH, replicas.registerIntent(KEY, 0, 1_000));
        assertEquals(SlotState.ABSENT, table.pullLocal(KEY, new float[LENGTH], 0), "a placeholder serves no read");
    }
}
