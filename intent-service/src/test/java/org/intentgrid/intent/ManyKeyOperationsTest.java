package org.intentgrid.intent;

import org.intentgrid.GridMember;
import org.intentgrid.OpHandle;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference's many-key test in its quick configuration (4 members x 2 workers, 100 keys of 10 floats,
 * up to 20 keys per operation), in every moving mode:
 * <ol>
 * <li>while keys move and replicate under random intents, every pulled value equals its initial value;</li>
 * <li>a worker's pulls never miss its own completed pushes (monotonic, read your writes);</li>
 * <li>after pushes that cancel out, quiescence and two waitSync rounds, every member reads exactly the values
 * from before (every replica delta arrived once, replicas converged).</li>
 * </ol>
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ManyKeyOperationsTest
{
    private static final int MEMBERS = 4;
    private static final int WORKERS = 2;
    private static final int KEYS = 100;
    private static final int LENGTH = 10;
    private static final int MAX_KEYS_PER_OP = 20;
    private static final int RUNS = 500;
    /** Relocation-only moves a key on every refresh (ping-pong by design); fewer operations keep the test short. */
    private static final int RELOCATION_ONLY_RUNS = 100;

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"ADAPTIVE", "REPLICATION_ONLY", "RELOCATION_ONLY"})
    void valuesStayExactWhileKeysMove(final Mode mode) throws Exception
    {
        try (ParameterGrid grid = Grids.start(MEMBERS, mode))
        {
            final Table table = grid.table(TableSpec.of("many-keys", KEYS, LENGTH));
            final long[] all = new long[KEYS];
            final float[] initial = new float[KEYS * LENGTH];
            for (int k = 0; k < KEYS; k++)
            {
                all[k] = k;
                for (int e = 0; e < LENGTH; e++)
                {
                    initial[k * LENGTH + e] = k * 10 + e;
                }
            }
            try (ParameterWorker w = grid.worker())
            {
                w.push(table, all, initial).await();
            }
            final int runs = mode == Mode.RELOCATION_ONLY ? RELOCATION_ONLY_RUNS : RUNS;
            runPhase(grid, (worker, id) -> pullsAndLocalizes(worker, table, initial, id, runs), "phase 1");
            runPhase(grid, (worker, id) -> monotonicPushes(worker, table, initial, id, runs), "phase 2");
            grid.waitSync();
            grid.waitSync();
            final float[] before = readAll(grid.member(0), table, all);
            runPhase(grid, (worker, id) -> cancellingPushes(worker, table, id, runs), "phase 3");
            grid.waitSync();
            grid.waitSync();
            for (final GridMember member : grid.members())
            {
                assertArrayEquals(before, readAll(member, table, all), "values after quiescence on " + member +
                    " in mode " + mode.label());
            }
        }
    }

    private interface Phase
    {
        void run(ParameterWorker worker, int id) throws Exception;
    }

    private static void runPhase(final ParameterGrid grid, final Phase phase, final String name) throws Exception
    {
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++)
        {
            for (int w = 0; w < WORKERS; w++)
            {
                final GridMember member = grid.member(m);
                final int id = m * WORKERS + w;
                threads.add(new Thread(() ->
                {
                    try (ParameterWorker worker = member.worker())
                    {
                        phase.run(worker, id);
                    }
                    catch (final Throwable t)
                    {
                        failures.add(t);
                    }
                }, name + "-" + id));
            }
        }
        threads.forEach(Thread::start);
        for (final Thread t : threads)
        {
            t.join();
        }
        assertTrue(failures.isEmpty(), () -> name + " failures: " + failures);
    }

    private static long[] randomKeys(final SplittableRandom random)
    {
        final int n = 1 + random.nextInt(MAX_KEYS_PER_OP);
        final long[] keys = new long[n];
        for (int i = 0; i < n; i++)
        {
            keys[i] = random.nextInt(KEYS);
        }
        return keys;
    }

    private static void pullsAndLocalizes(
        final ParameterWorker worker, final Table table, final float[] initial, final int id, final int runs)
    {
        final SplittableRandom random = new SplittableRandom(100 + id);
        final int outstanding = 10;
        final OpHandle[] handles = new OpHandle[outstanding];
        final long[][] keys = new long[outstanding][];
        final float[][] values = new float[outstanding][];
        for (int run = 0; run < runs; run++)
        {
            final long clock = worker.clock();
            worker.intent(table, randomKeys(random), clock + 5, clock + 5 + random.nextInt(30) + 1);
            final int slot = run % outstanding;
            if (handles[slot] != null)
            {
                check(handles[slot], keys[slot], values[slot], initial);
            }
            keys[slot] = randomKeys(random);
            values[slot] = new float[keys[slot].length * LENGTH];
            handles[slot] = worker.pull(table, keys[slot], values[slot]);
            worker.advanceClock();
        }
        for (int slot = 0; slot < outstanding; slot++)
        {
            if (handles[slot] != null)
            {
                check(handles[slot], keys[slot], values[slot], initial);
            }
        }
    }

    private static void check(final OpHandle handle, final long[] keys, final float[] values, final float[] initial)
    {
        handle.await();
        for (int i = 0; i < keys.length; i++)
        {
            final int k = (int)keys[i];
            final float[] expected = Arrays.copyOfRange(initial, k * LENGTH, (k + 1) * LENGTH);
            final float[] actual = Arrays.copyOfRange(values, i * LENGTH, (i + 1) * LENGTH);
            assertArrayEquals(expected, actual, "value of key " + k + " while keys move");
        }
    }

    private static void monotonicPushes(
        final ParameterWorker worker, final Table table, final float[] initial, final int id, final int runs)
    {
        final SplittableRandom random = new SplittableRandom(200 + id);
        final float[] own = new float[KEYS];
        for (int run = 0; run < runs / 2; run++)
        {
            final long[] pulled = randomKeys(random);
            final long[] pushed = randomKeys(random);
            final long clock = worker.clock();
            worker.intent(table, pulled, clock + 1, clock + 10);
            worker.intent(table, pushed, clock + 1, clock + 10);
            final float[] read = new float[pulled.length * LENGTH];
            worker.pull(table, pulled, read).await();
            for (int i = 0; i < pulled.length; i++)
            {
                final int k = (int)pulled[i];
                final float lowest = initial[k * LENGTH] + own[k];
                if (read[i * LENGTH] < lowest)
                {
                    throw new AssertionError("worker " + id + " run " + run + ": key " + k + " read " +
                        read[i * LENGTH] +
                        " but its own completed pushes make at least " + lowest);
                }
            }
            final float[] update = new float[pushed.length * LENGTH];
            for (int i = 0; i < pushed.length; i++)
            {
                final float amount = 1 + random.nextInt(3);
                Arrays.fill(update, i * LENGTH, (i + 1) * LENGTH, amount);
                own[(int)pushed[i]] += amount;
            }
            worker.push(table, pushed, update).await();
            worker.advanceClock();
            if (run % 10 == 0)
            {
                worker.waitSync();
            }
        }
    }

    private static void cancellingPushes(final ParameterWorker worker, final Table table, final int id, final int runs)
    {
        final SplittableRandom random = new SplittableRandom(300 + id);
        final float[] sum = new float[KEYS * LENGTH];
        final List<OpHandle> handles = new ArrayList<>();
        for (int run = 0; run < runs / 2; run++)
        {
            final long[] keys = randomKeys(random);
            final long clock = worker.clock();
            worker.intent(table, keys, clock + 2, clock + 20);
            final float[] update = new float[keys.length * LENGTH];
            for (int i = 0; i < update.length; i++)
            {
                update[i] = random.nextInt(7) - 3;
                sum[(int)keys[i / LENGTH] * LENGTH + i % LENGTH] += update[i];
            }
            handles.add(worker.push(table, keys, update));
            worker.advanceClock();
        }
        final long[] all = new long[KEYS];
        for (int k = 0; k < KEYS; k++)
        {
            all[k] = k;
        }
        for (int i = 0; i < sum.length; i++)
        {
            sum[i] = -sum[i];
        }
        handles.add(worker.push(table, all, sum));
        handles.forEach(OpHandle::await);
    }

    private static float[] readAll(final GridMember member, final Table table, final long[] all)
    {
        try (ParameterWorker reader = member.worker())
        {
            final float[] values = new float[all.length * LENGTH];
            reader.pull(table, all, values).await();
            return values;
        }
    }
}
