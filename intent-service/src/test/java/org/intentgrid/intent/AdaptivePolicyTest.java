package org.intentgrid.intent;

import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The policy's side of a sync round, without a grid. */
class AdaptivePolicyTest
{
    @Test
    void aWorkerRegisteredAfterTheRoundSizedItsClockArrayIsCollectedNextRound()
    {
        final AdaptivePolicy policy = new AdaptivePolicy(Mode.ADAPTIVE, true, Integer.MAX_VALUE);
        final long[] sizedBeforeRegistration = new long[policy.workerCount()];
        final int worker = policy.registerWorker();
        policy.intent(worker, "table", new long[] {4, 5}, 0, 3);
        final List<Long> due = new ArrayList<>();
        assertEquals(0, policy.collect(sizedBeforeRegistration, (table, key, w, end) -> due.add(key), true));
        assertEquals(2, policy.collect(new long[policy.workerCount()], (table, key, w, end) -> due.add(key), true));
        assertEquals(List.of(4L, 5L), due);
    }

    @Test
    void intentsFallDueInTheOrderOfTheirStartsWhateverTheOrderTheyCameIn()
    {
        final AdaptivePolicy policy = new AdaptivePolicy(Mode.ADAPTIVE, false, Integer.MAX_VALUE);
        final int worker = policy.registerWorker();
        final long[] starts = {1000, 2000, 500, 2500, 1500, 2000, 400};
        for (int i = 0; i < starts.length; i++)
        {
            policy.intent(worker, "table", new long[] {i}, starts[i], Long.MAX_VALUE);
        }
        assertEquals(39L, policy.actionWindow(worker), "the clocks below assume the initial window");
        final List<Long> due = new ArrayList<>();
        final List<Integer> handed = new ArrayList<>();
        for (final long clock : new long[] {0, 480, 1480, 1980, 2480})
        {
            while (policy.clocks().clock(worker) < clock)
            {
                policy.clocks().advance(worker);
            }
            handed.add(policy.collect(new long[1], (table, key, w, end) -> due.add(key), false));
        }
        assertEquals(List.of(0, 2, 2, 2, 1), handed);
        assertEquals(List.of(6L, 2L, 0L, 4L, 1L, 5L, 3L), due);
    }

    @Test
    void theOwnersRuleReplicatesWhatSeveralWantOrOneWantsBrieflyAndRelocatesTheRest()
    {
        final AdaptivePolicy adaptive = new AdaptivePolicy(Mode.ADAPTIVE, false, Integer.MAX_VALUE);
        assertEquals(true, adaptive.replicate(false, false, true, 0), "a brief use gets a replica");
        assertEquals(false, adaptive.replicate(false, false, false, 0));
        assertEquals(false, adaptive.replicate(false, false, false, 1_000_000));
        assertEquals(true, adaptive.replicate(true, false, false, 0));
        assertEquals(true, adaptive.replicate(false, true, false, 0));
        assertEquals(false, new AdaptivePolicy(Mode.RELOCATION_ONLY, false, 2).replicate(true, true, false, 5));
        assertEquals(false, new AdaptivePolicy(Mode.RELOCATION_ONLY, false, 2).replicate(false, false, true, 0));
        assertEquals(true, new AdaptivePolicy(Mode.REPLICATION_ONLY, false, 2).replicate(false, false, false, 0));
    }

    @Test
    void aKeyThatMovedAsOftenAsTheLimitIsReplicatedFromWhereItIs()
    {
        final AdaptivePolicy limited = new AdaptivePolicy(Mode.ADAPTIVE, false, 2);
        assertEquals(false, limited.replicate(false, false, false, 0));
        assertEquals(false, limited.replicate(false, false, false, 1));
        assertEquals(true, limited.replicate(false, false, false, 2));
        assertEquals(true, limited.replicate(false, false, false, 3));
        assertEquals(true, new AdaptivePolicy(Mode.ADAPTIVE, false, 0).replicate(false, false, false, 0));
    }

    @Test
    void aNegativeLimitIsRejected()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new AdaptivePolicy(Mode.ADAPTIVE, false, -1));
        assertTrue(e.getMessage().contains("relocationLimit must be >= 0, got -1"), e.getMessage());
    }
}
