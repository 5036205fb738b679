package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A round costs what its replicas need: main copies that local workers intend have nothing to send, so rounds do
 * not visit them; a sweep every 250 ms forgets their expired intents. A member alone registers no intent at all.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SyncRoundCostTest
{
    private static final TableSpec SPEC = TableSpec.of("cost", 5000, 4);
    private static final long SWEEP_MILLIS = 250;
    private static final GridConfig CONFIG = GridConfig.embedded().mode(Mode.ADAPTIVE).actImmediately(true);

    private static long[] allKeys()
    {
        final long[] keys = new long[(int)SPEC.size()];
        for (int k = 0; k < keys.length; k++)
        {
            keys[k] = k;
        }
        return keys;
    }

    @Test
    void aMemberAloneRegistersNoIntentUntilAnotherJoins() throws Exception
    {
        try (InMemoryCluster cluster = new InMemoryCluster(4))
        {
            final MemberRuntime member = cluster.addMember(CONFIG);
            final WorkerEngine worker = member.newWorker();
            final TableStore store = worker.store(SPEC);
            final long[] keys = allKeys();
            worker.pull(store, keys, new float[keys.length * SPEC.valueLength()], null, keys.length).await();
            final long[] early = Arrays.copyOf(keys, 1000);
            final long[] late = Arrays.copyOfRange(keys, 1000, keys.length);
            final MemberStats before = member.stats();
            worker.intent(store, early, early.length, 0, 1);
            worker.intent(store, late, late.length, 0, 100);
            member.waitSync();
            assertEquals(0, member.stats().trackedKeys(), "a member alone tracks no intended key");
            assertEquals(before.keysVisited(), member.stats().keysVisited(), "its sync rounds visit no key");
            assertEquals(2, worker.heldIntents(), "its worker holds the intents");

            worker.advanceClock();
            worker.advanceClock();
            cluster.addMember(CONFIG);
            worker.advanceClock();
            member.waitSync();
            assertEquals(0, worker.heldIntents(), "the first clock with company hands the held intents over");
            assertEquals(late.length, member.stats().trackedKeys(),
                "the intent still open registers, the one that closed while the member was alone does not");
            worker.intent(store, early, early.length, 3, 100);
            member.waitSync();
            assertEquals(keys.length, member.stats().trackedKeys(), "with a second member, intents register again");
        }
    }

    @Test
    void roundsDoNotVisitIntendedMainCopies() throws Exception
    {
        try (InMemoryCluster cluster = new InMemoryCluster(4))
        {
            final MemberRuntime member = cluster.addMember(CONFIG);
            cluster.addMember(CONFIG);
            final WorkerEngine worker = member.newWorker();
            final TableStore store = worker.store(SPEC);
            final long[] keys = allKeys();
            worker.localize(store, keys).await();
            worker.intent(store, keys, keys.length, 0, 100);
            member.waitSync();
            assertEquals(keys.length, member.stats().trackedKeys(), "every intended key is known to the channel");

            final MemberStats before = member.stats();
            final long start = System.nanoTime();
            long rounds = 0;
            while (rounds <= 20 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10))
            {
                Thread.sleep(50);
                rounds = member.stats().rounds() - before.rounds();
            }
            final long visited = member.stats().keysVisited() - before.keysVisited();
            assertTrue(rounds > 20, "rounds went on: " + rounds);
            // a stalled machine stretches the wait: each 250 ms sweep may visit every key once
            final long sweeps = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / SWEEP_MILLIS + 2;
            assertTrue(visited <= sweeps * keys.length,
                "rounds did not scan the intended main copies: " + visited + " keys visited in " + rounds +
                    " rounds (a scan per round would be " + rounds * keys.length + ")");

            for (int c = 0; c < 100; c++)
            {
                worker.advanceClock();
            }
            member.waitSync();
            assertEquals(0, member.stats().trackedKeys(), "the sweep forgot the expired intents");
            assertEquals(SlotState.MAIN, store.localState(7), "the main copies stay");
        }
    }
}
