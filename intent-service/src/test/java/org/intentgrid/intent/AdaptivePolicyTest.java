package org.intentgrid.intent;

import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The policy's side of a sync round, without a grid. */
class AdaptivePolicyTest
{
    @Test
    void aWorkerRegisteredAfterTheRoundSizedItsClockArrayIsCollectedNextRound()
    {
        final AdaptivePolicy policy = new AdaptivePolicy(Mode.ADAPTIVE, true);
        final long[] sizedBeforeRegistration = new long[policy.workerCount()];
        final int worker = policy.registerWorker();
        policy.intent(worker, "table", new long[] {4, 5}, 0, 3);
        final List<Long> due = new ArrayList<>();
        assertEquals(0, policy.collect(sizedBeforeRegistration, (table, key, w, end) -> due.add(key)));
        assertEquals(2, policy.collect(new long[policy.workerCount()], (table, key, w, end) -> due.add(key)));
        assertEquals(List.of(4L, 5L), due);
    }

    @Test
    void theOwnersRuleReplicatesWhatSeveralWantAndRelocatesTheRest()
    {
        final AdaptivePolicy adaptive = new AdaptivePolicy(Mode.ADAPTIVE, false);
        assertEquals(false, adaptive.replicate(false, false));
        assertEquals(true, adaptive.replicate(true, false));
        assertEquals(true, adaptive.replicate(false, true));
        assertEquals(false, new AdaptivePolicy(Mode.RELOCATION_ONLY, false).replicate(true, true));
        assertEquals(true, new AdaptivePolicy(Mode.REPLICATION_ONLY, false).replicate(false, false));
    }
}
