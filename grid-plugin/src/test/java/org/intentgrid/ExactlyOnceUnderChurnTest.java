package org.intentgrid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contract 1 and 2: every push is applied exactly once while the pushed keys are relocated at random from
 * every member, and no key ever has two main copies.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ExactlyOnceUnderChurnTest
{
    private static final int MEMBERS = 3;
    private static final int WORKERS_PER_MEMBER = 2;
    private static final int PUSHES_PER_WORKER = Integer.getInteger("intentgrid.test.churnPushes", 100_000);
    private static final int HOT_KEYS = 8;
    private static final int KEYS_PER_PUSH = 2;
    private static final int IN_FLIGHT = 32;

    @Test
    void sumsAreExactUnderConcurrentRelocation() throws Exception
    {
        try (ParameterGrid grid = TestGrids.start(MEMBERS))
        {
            final MainCopyChecker checker = MainCopyChecker.installOn(grid);
            final Table table = grid.table(TableSpec.of("churn", 1000, 2));
            final long[] hot = {3, 17, 101, 256, 511, 640, 777, 999};
            final AtomicBoolean working = new AtomicBoolean(true);
            final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            final long[][] expected = new long[MEMBERS * WORKERS_PER_MEMBER][HOT_KEYS];
            final AtomicLong localizes = new AtomicLong();
            final List<Thread> threads = new ArrayList<>();
            for (int m = 0; m < MEMBERS; m++)
            {
                final GridMember member = grid.member(m);
                for (int w = 0; w < WORKERS_PER_MEMBER; w++)
                {
                    final int id = m * WORKERS_PER_MEMBER + w;
                    threads.add(new Thread(() -> runWorker(member, table, hot, id, expected[id], failures), "worker-" +
                        id));
                }
                final int seed = m;
                threads.add(new Thread(() -> runLocalizer(member, table, hot, seed, working, localizes, failures),
                    "localizer-" + m));
            }
            threads.forEach(Thread::start);
            for (final Thread t : threads)
            {
                if (t.getName().startsWith("worker"))
                {
                    t.join();
                }
            }
            working.set(false);
            for (final Thread t : threads)
            {
                t.join();
            }
            assertTrue(failures.isEmpty(), () -> "worker failures: " + failures + "\n" + describe(grid, table, hot,
                checker));

            final float[] values = new float[HOT_KEYS * 2];
            try (ParameterWorker reader = grid.member(1).worker())
            {
                reader.pull(table, hot, values).await();
            }
            for (int k = 0; k < HOT_KEYS; k++)
            {
                long sum = 0;
                for (final long[] perWorker : expected)
                {
                    sum += perWorker[k];
                }
                assertEquals((float)sum, values[2 * k], "sum of element 0 of key " + hot[k]);
                assertEquals((float)(2 * sum), values[2 * k + 1], "sum of element 1 of key " + hot[k]);
                assertEquals(1, checker.holders("churn", hot[k]), "main copies of key " + hot[k] + " at the end");
            }
            assertEquals(0, checker.violations(), () -> "single main copy violated: " + checker.firstViolation());
            assertTrue(localizes.get() > 100, "the churn really moved keys: " + localizes.get() + " localize calls");
            assertTrue(grid.stats().relocationsIn() > 100, "relocations happened: " + grid.stats());
        }
    }

    private static String describe(final ParameterGrid grid, final Table table, final long[] hot,
        final MainCopyChecker checker)
    {
        final StringBuilder sb = new StringBuilder();
        for (final long key : hot)
        {
            sb.append("key ").append(key).append(": checker holders=").append(checker.holders(table.name(), key));
            for (final GridMember member : grid.members())
            {
                sb.append(" | ").append(member.id().toString(), 0, 8).append(" main=").append(member.holdsMain(table,
                    key))
                    .append(" home=").append(member.isHome(table,
                        key)).append(" dir=").append(member.directoryOwner(table, key));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void runWorker(
        final GridMember member, final Table table, final long[] hot, final int id, final long[] expected,
        final ConcurrentLinkedQueue<Throwable> failures)
    {
        final SplittableRandom random = new SplittableRandom(1000 + id);
        final OpHandle[] inFlight = new OpHandle[IN_FLIGHT];
        final float[][] pullBuffers = new float[IN_FLIGHT][KEYS_PER_PUSH * 2];
        try (ParameterWorker worker = member.worker())
        {
            final long[] keys = new long[KEYS_PER_PUSH];
            final float[] update = new float[KEYS_PER_PUSH * 2];
            for (int i = 0; i < PUSHES_PER_WORKER; i++)
            {
                final int slot = i % IN_FLIGHT;
                if (inFlight[slot] != null)
                {
                    inFlight[slot].await();
                }
                final boolean pull = i % 4 == 3;
                for (int k = 0; k < KEYS_PER_PUSH; k++)
                {
                    final int h = random.nextInt(HOT_KEYS);
                    keys[k] = hot[h];
                    final int amount = 1 + random.nextInt(3);
                    update[2 * k] = amount;
                    update[2 * k + 1] = 2 * amount;
                    if (!pull)
                    {
                        expected[h] += amount;
                    }
                }
                if (pull)
                {
                    inFlight[slot] = worker.pull(table, keys, pullBuffers[slot]);
                }
                else
                {
                    inFlight[slot] = worker.push(table, keys, update);
                }
            }
            TestGrids.awaitAll(inFlight);
        }
        catch (final Throwable t)
        {
            failures.add(t);
        }
    }

    private static void runLocalizer(
        final GridMember member, final Table table, final long[] hot, final int seed, final AtomicBoolean working,
        final AtomicLong localizes, final ConcurrentLinkedQueue<Throwable> failures)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        try (ParameterWorker worker = member.worker())
        {
            while (working.get())
            {
                worker.localize(table, new long[] {hot[random.nextInt(HOT_KEYS)]}).await();
                localizes.incrementAndGet();
                Thread.sleep(0, 200_000);
            }
        }
        catch (final Throwable t)
        {
            failures.add(t);
        }
    }
}
