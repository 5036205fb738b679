package org.intentgrid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contract 4: after a worker's push completed, its later pulls see it, even while the key moves between
 * members. Every worker adds only positive amounts, so a read may show more than the worker's own sum
 * (others' pushes) but never less.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReadYourWritesTest
{
    private static final int STEPS = 3000;

    @Test
    void completedPushesAreVisibleToTheSameWorkerAcrossRelocations() throws Exception
    {
        try (ParameterGrid grid = TestGrids.start(3))
        {
            final Table table = grid.table(TableSpec.of("ryw", 64, 2));
            final long[] keys = {5, 6, 7, 8};
            final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
            final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            final AtomicBoolean running = new AtomicBoolean(true);
            final List<Thread> threads = new ArrayList<>();
            for (int m = 0; m < 3; m++)
            {
                final GridMember member = grid.member(m);
                final int seed = m;
                threads.add(new Thread(() ->
                {
                    final SplittableRandom random = new SplittableRandom(seed);
                    final float[] own = new float[keys.length];
                    try (ParameterWorker worker = member.worker())
                    {
                        final float[] update = new float[keys.length * 2];
                        final float[] read = new float[keys.length * 2];
                        for (int step = 0; step < STEPS; step++)
                        {
                            for (int k = 0; k < keys.length; k++)
                            {
                                final float amount = 1 + random.nextInt(4);
                                update[2 * k] = amount;
                                update[2 * k + 1] = amount;
                                own[k] += amount;
                            }
                            worker.push(table, keys, update).await();
                            worker.pull(table, keys, read).await();
                            for (int k = 0; k < keys.length; k++)
                            {
                                if (read[2 * k] < own[k])
                                {
                                    violations.add("member " + seed + " step " + step + " key " + keys[k] + ": read " +
                                        read[2 * k] + " < own pushes " + own[k]);
                                }
                            }
                        }
                    }
                    catch (final Throwable t)
                    {
                        failures.add(t);
                    }
                }, "ryw-" + m));
                threads.add(new Thread(() ->
                {
                    final SplittableRandom random = new SplittableRandom(100 + seed);
                    try (ParameterWorker mover = member.worker())
                    {
                        while (running.get())
                        {
                            mover.localize(table, new long[] {keys[random.nextInt(keys.length)]}).await();
                            Thread.sleep(1);
                        }
                    }
                    catch (final Throwable t)
                    {
                        failures.add(t);
                    }
                }, "mover-" + m));
            }
            threads.forEach(Thread::start);
            for (int i = 0; i < threads.size(); i += 2)
            {
                threads.get(i).join();
            }
            running.set(false);
            for (final Thread t : threads)
            {
                t.join();
            }
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            assertTrue(violations.isEmpty(), () -> violations.size() + " read-your-writes violations, first: " +
                violations.peek());
            assertTrue(grid.stats().relocationsIn() > 50, () -> "keys really moved: " + grid.stats());
        }
    }
}
