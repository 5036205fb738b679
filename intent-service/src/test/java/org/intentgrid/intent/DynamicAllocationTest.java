package org.intentgrid.intent;

import org.intentgrid.GridMember;
import org.intentgrid.OpHandle;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference's dynamic-allocation test: every worker pushes (1, 2) to one hot key and pulls it, async,
 * many times, signalling intent for it at random, so the key is relocated and replicated all the time.
 * No update may be lost or applied twice.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DynamicAllocationTest
{
    private static final int MEMBERS = 3;
    private static final int WORKERS = 2;
    private static final int RUNS = Integer.getInteger("intentgrid.test.dynamicRuns", 100_000);
    private static final long HOT = 9;
    private static final int IN_FLIGHT = 16;

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"ADAPTIVE", "REPLICATION_ONLY", "RELOCATION_ONLY"})
    void everyUpdateArrivesExactlyOnce(final Mode mode) throws Exception
    {
        final int runs = mode == Mode.ADAPTIVE ? RUNS : RUNS / 5;
        try (ParameterGrid grid = Grids.start(MEMBERS, mode))
        {
            final Table table = grid.table(TableSpec.of("dynamic-" + mode.label(), 36, 2));
            final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            final List<Thread> threads = new ArrayList<>();
            for (int m = 0; m < MEMBERS; m++)
            {
                for (int w = 0; w < WORKERS; w++)
                {
                    final GridMember member = grid.member(m);
                    final int seed = m * WORKERS + w;
                    threads.add(new Thread(() -> run(member, table, seed, runs, failures), "dynamic-" + seed));
                }
            }
            threads.forEach(Thread::start);
            for (final Thread t : threads)
            {
                t.join();
            }
            assertTrue(failures.isEmpty(), () -> "worker failures: " + failures);
            grid.waitSync();
            grid.waitSync();

            final long total = (long)MEMBERS * WORKERS * runs;
            for (final GridMember member : grid.members())
            {
                try (ParameterWorker reader = member.worker())
                {
                    final float[] value = new float[2];
                    reader.pull(table, new long[] {HOT}, value).await();
                    assertEquals((float)total, value[0], "element 0 read on " + member + " in " + mode.label());
                    assertEquals((float)(2 * total), value[1], "element 1 read on " + member + " in " + mode.label());
                }
            }
            long decisions = 0;
            for (final GridMember member : grid.members())
            {
                decisions += member.syncStats().replicateDecisions() + member.syncStats().relocateDecisions();
            }
            assertTrue(decisions > 0, "intents caused decisions in " + mode.label());
        }
    }

    private static void run(
        final GridMember member, final Table table, final int seed, final int runs,
        final ConcurrentLinkedQueue<Throwable> failures)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] key = {HOT};
        final float[] update = {1, 2};
        final OpHandle[] inFlight = new OpHandle[IN_FLIGHT];
        final float[][] buffers = new float[IN_FLIGHT][2];
        try (ParameterWorker worker = member.worker())
        {
            for (int i = 0; i < runs; i++)
            {
                final int slot = i % IN_FLIGHT;
                if (inFlight[slot] != null)
                {
                    inFlight[slot].await();
                }
                worker.push(table, key, update);
                inFlight[slot] = worker.pull(table, key, buffers[slot]);
                final long clock = worker.advanceClock();
                if (random.nextInt(50) == 0)
                {
                    worker.intent(table, key, clock + 10, clock + 40);
                }
            }
            for (final OpHandle handle : inFlight)
            {
                if (handle != null)
                {
                    handle.await();
                }
            }
        }
        catch (final Throwable t)
        {
            failures.add(t);
        }
    }
}
