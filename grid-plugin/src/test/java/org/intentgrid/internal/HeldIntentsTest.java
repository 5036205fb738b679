package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A lone member's worker keeps only the intents still open, however their windows are ordered. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HeldIntentsTest
{
    @Test
    void closedWindowsAreForgottenEvenOutOfOrder()
    {
        final HeldIntents held = new HeldIntents();
        final SplittableRandom random = new SplittableRandom(11);
        int maxHeld = 0;
        for (long clock = 0; clock < 100_000; clock++)
        {
            // windows of 1..200 clocks, so that ends arrive out of order
            held.hold(null, new long[] {clock}, clock, clock + 1 + random.nextInt(200), clock);
            maxHeld = Math.max(maxHeld, held.size());
        }
        assertTrue(maxHeld <= 2 * 200 + 64, "at most twice the open intents are held: " + maxHeld);
    }

    @Test
    void releaseHandsOverTheOpenIntentsInOrderAndForgetsAll() throws Exception
    {
        try (InMemoryCluster cluster = new InMemoryCluster(4))
        {
            final WorkerEngine worker = cluster.addMember(GridConfig.embedded()).newWorker();
            final TableStore store = worker.store(TableSpec.of("held", 10, 1));
            final HeldIntents held = new HeldIntents();
            held.hold(store, new long[] {1}, 0, 5, 0);
            held.hold(store, new long[] {2}, 0, 50, 0);
            held.hold(store, new long[] {3}, 0, 10, 0);
            held.hold(store, new long[] {4}, 0, 0, 0);
            assertEquals(3, held.size(), "a window closed already is not kept");
            final List<Long> released = new ArrayList<>();
            held.release(7, (s, keys, start, end) -> released.add(keys[0]));
            assertEquals(List.of(2L, 3L), released, "the open ones, in the order signalled");
            assertTrue(held.isEmpty());
        }
    }
}
