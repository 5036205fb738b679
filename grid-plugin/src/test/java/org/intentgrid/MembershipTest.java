package org.intentgrid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member joins and another leaves gracefully while pushes run: no update is lost, and afterwards every
 * directory entry names a live member that really holds the key.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MembershipTest
{
    private static final int KEYS = 2000;
    private static final int IN_FLIGHT = 16;

    @Test
    void joinAndGracefulLeaveLoseNoUpdate() throws Exception
    {
        try (ParameterGrid grid = TestGrids.start(3))
        {
            final Table table = grid.table(TableSpec.of("membership", KEYS, 2));
            final GridMember leaving = grid.member(2);
            final long[] toLeaver = new long[KEYS / 4];
            for (int i = 0; i < toLeaver.length; i++)
            {
                toLeaver[i] = 4L * i;
            }
            try (ParameterWorker w = leaving.worker())
            {
                w.localize(table, toLeaver).await();
            }
            final long heldByLeaver = leaving.mainCopies(table);
            assertTrue(heldByLeaver >= toLeaver.length, "the leaving member holds main copies: " + heldByLeaver);

            final AtomicBoolean running = new AtomicBoolean(true);
            final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            final long[][] expected = new long[2][KEYS];
            final List<Thread> pushers = new ArrayList<>();
            for (int m = 0; m < 2; m++)
            {
                final GridMember member = grid.member(m);
                final long[] counts = expected[m];
                final int seed = m;
                pushers.add(new Thread(() -> push(member, table, counts, seed, running, failures), "pusher-" + m));
            }
            pushers.forEach(Thread::start);
            Thread.sleep(500);
            final GridMember joined = grid.addMember();
            Thread.sleep(500);
            leaving.leave();
            assertFalse(leaving.isRunning());
            Thread.sleep(500);
            running.set(false);
            for (final Thread t : pushers)
            {
                t.join();
            }
            assertTrue(failures.isEmpty(), () -> "pusher failures: " + failures);

            final long[] all = new long[KEYS];
            for (int k = 0; k < KEYS; k++)
            {
                all[k] = k;
            }
            final float[] values = new float[KEYS * 2];
            try (ParameterWorker reader = joined.worker())
            {
                reader.pull(table, all, values).await();
            }
            for (int k = 0; k < KEYS; k++)
            {
                final long sum = expected[0][k] + expected[1][k];
                assertEquals((float)sum, values[2 * k], "element 0 of key " + k);
                assertEquals((float)-sum, values[2 * k + 1], "element 1 of key " + k);
            }
            final List<UUID> live = new ArrayList<>();
            grid.members().forEach(m -> live.add(m.id()));
            for (int k = 0; k < KEYS; k++)
            {
                UUID owner = null;
                int holders = 0;
                for (final GridMember member : grid.members())
                {
                    if (member.isHome(table, k))
                    {
                        owner = member.directoryOwner(table, k);
                    }
                    if (member.holdsMain(table, k))
                    {
                        holders++;
                    }
                }
                assertNotNull(owner, "key " + k + " has a directory entry at its home");
                assertTrue(live.contains(owner), "directory names a live owner for key " + k);
                assertEquals(1, holders, "exactly one live main copy of key " + k);
                final UUID recorded = owner;
                final long key = k;
                assertTrue(grid.members().stream().anyMatch(m -> m.id().equals(recorded) && m.holdsMain(table, key)),
                    "the recorded owner of key " + k + " holds it");
            }
        }
    }

    private static void push(
        final GridMember member, final Table table, final long[] counts, final int seed, final AtomicBoolean running,
        final ConcurrentLinkedQueue<Throwable> failures)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final OpHandle[] inFlight = new OpHandle[IN_FLIGHT];
        try (ParameterWorker worker = member.worker())
        {
            final long[] keys = new long[8];
            final float[] update = new float[16];
            for (int i = 0; running.get() || i < 2000; i++)
            {
                final int slot = i % IN_FLIGHT;
                if (inFlight[slot] != null)
                {
                    inFlight[slot].await();
                }
                for (int j = 0; j < keys.length; j++)
                {
                    final int key = random.nextInt(KEYS);
                    keys[j] = key;
                    update[2 * j] = 1;
                    update[2 * j + 1] = -1;
                    counts[key]++;
                }
                inFlight[slot] = worker.push(table, keys, update);
            }
            TestGrids.awaitAll(inFlight);
        }
        catch (final Throwable t)
        {
            failures.add(t);
        }
    }
}
