package org.intentgrid.intent;

import org.intentgrid.GridMember;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read your writes when a member localizes keys it holds as replicas: on each of 3 members one worker intends 4
 * shared keys for its whole run (so the keys are replicated where they are not owned) and pushes to them and pulls
 * them back in turn, while a second worker localizes one of them every millisecond. A completed push lives in the
 * replica until a round ships it as a delta; the main copy a localize brings must not hide a delta still on its way.
 * Every push is positive, so a read may show more than the worker's own sum but never less; afterwards every member
 * reads exactly the sum of all pushes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LocalizeReplicaTest
{
    private static final int MEMBERS = 3;
    private static final int STEPS = 4000;
    /**
     * Pushers go on past {@link #STEPS} until keys moved a few times, up to this many steps: localizes wait while a
     * replica's delta is in flight, so how many complete during the steps depends on the host's speed (3 in one run
     * of the module's whole suite, where the JIT had warmed up and the steps took 2.8 s instead of 4).
     */
    private static final int MAX_STEPS = 5 * STEPS;
    private static final int MIN_RELOCATIONS = 6;
    private static final int LENGTH = 2;

    @Test
    void completedPushesToAReplicaStayVisibleWhileItsMemberLocalizesTheKey() throws Exception
    {
        try (ParameterGrid grid = Grids.start(MEMBERS, Mode.REPLICATION_ONLY))
        {
            final Table table = grid.table(TableSpec.of("localize-replicas", 64, LENGTH));
            final long[] keys = {5, 6, 7, 8};
            final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
            final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            final AtomicBoolean running = new AtomicBoolean(true);
            final float[][] pushed = new float[MEMBERS][keys.length];
            final List<Thread> pushers = new ArrayList<>();
            final List<Thread> movers = new ArrayList<>();
            for (int m = 0; m < MEMBERS; m++)
            {
                final GridMember member = grid.member(m);
                final int id = m;
                pushers.add(new Thread(() -> pushAndPull(member, table, keys, id, pushed[id], violations, failures,
                    () -> grid.stats().relocationsIn() >= MIN_RELOCATIONS), "pusher-" + m));
                movers.add(new Thread(() ->
                {
                    final SplittableRandom random = new SplittableRandom(100 + id);
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
            pushers.forEach(Thread::start);
            movers.forEach(Thread::start);
            for (final Thread t : pushers)
            {
                t.join();
            }
            running.set(false);
            for (final Thread t : movers)
            {
                t.join();
            }
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            grid.waitSync();
            grid.waitSync();
            final List<String> wrongSums = new ArrayList<>();
            for (final GridMember member : grid.members())
            {
                try (ParameterWorker reader = member.worker())
                {
                    final float[] read = new float[keys.length * LENGTH];
                    reader.pull(table, keys, read).await();
                    for (int k = 0; k < keys.length; k++)
                    {
                        float total = 0;
                        for (int m = 0; m < MEMBERS; m++)
                        {
                            total += pushed[m][k];
                        }
                        if (read[k * LENGTH] != total)
                        {
                            wrongSums.add("key " + keys[k] + " on " + member + ": " + read[k * LENGTH] + " != " +
                                total);
                        }
                    }
                }
            }
            assertTrue(wrongSums.isEmpty(), () -> "after waitSync, not every push counted once: " + wrongSums);
            assertTrue(violations.isEmpty(), () -> violations.size() + " read-your-writes violations, first: " +
                violations.peek());
            assertTrue(grid.stats().relocationsIn() >= MIN_RELOCATIONS, () -> "keys really moved: " + grid.stats());
        }
    }

    private static void pushAndPull(
        final GridMember member, final Table table, final long[] keys, final int id, final float[] own,
        final ConcurrentLinkedQueue<String> violations, final ConcurrentLinkedQueue<Throwable> failures,
        final BooleanSupplier movedEnough)
    {
        try (ParameterWorker worker = member.worker())
        {
            worker.intent(table, keys, 0, MAX_STEPS + 1);
            final ReadYourWritesSteps steps = new ReadYourWritesSteps(worker, table, keys, id, own, violations);
            while (steps.steps() < MAX_STEPS &&
                (steps.steps() < STEPS || steps.steps() % 100 != 0 || !movedEnough.getAsBoolean()))
            {
                steps.run(1);
            }
        }
        catch (final Throwable t)
        {
            failures.add(t);
        }
    }
}
