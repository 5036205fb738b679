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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read your writes and exact sums while a member holding main copies and replicas leaves. Three members, replication
 * only, 12 keys: 8 live at member 2 and 4 at member 0. A worker on each member pushes to all of them, pulls them back
 * and checks that it reads at least its own completed pushes; the workers on members 0 and 1 intend all 12 keys for
 * their whole run, the one on member 2 intends member 0's 4, so each holds replicas of the keys it does not own.
 * Once each worker made 500 steps, member 2's worker stops and member 2 leaves at once: it must deliver its
 * replicas' last updates, and it hands its main copies to members 0 and 1 while their replicas' deltas are on the
 * way to it. The other workers go on for 500 more steps. Afterwards every member reads exactly the sum of all
 * pushes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeaveUnderReplicationTest
{
    private static final int MEMBERS = 3;
    private static final int KEYS_AT_LEAVER = 8;
    private static final int KEYS = KEYS_AT_LEAVER + 4;
    private static final int LENGTH = 2;
    private static final int STEPS_BEFORE = 500;
    private static final int STEPS_AFTER = 500;

    @Test
    void pushesStayVisibleAndCountOnceWhileAMemberWithMainCopiesAndReplicasLeaves() throws Exception
    {
        try (ParameterGrid grid = Grids.start(MEMBERS, Mode.REPLICATION_ONLY))
        {
            final Table table = grid.table(TableSpec.of("leave-under-replication", 64, LENGTH));
            final GridMember leaving = grid.member(2);
            final long[] keys = new long[KEYS];
            System.arraycopy(Grids.homedOn(leaving, table, KEYS_AT_LEAVER), 0, keys, 0, KEYS_AT_LEAVER);
            final long[] elsewhere = Grids.homedOn(grid.member(0), table, KEYS - KEYS_AT_LEAVER);
            System.arraycopy(elsewhere, 0, keys, KEYS_AT_LEAVER, elsewhere.length);
            Grids.touchAll(grid, table);
            final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
            final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            final float[][] pushed = new float[MEMBERS][KEYS];
            final AtomicInteger readyToLeave = new AtomicInteger();
            final AtomicBoolean left = new AtomicBoolean();
            final List<Thread> workers = new ArrayList<>();
            for (int m = 0; m < MEMBERS; m++)
            {
                final GridMember member = grid.member(m);
                final int id = m;
                workers.add(new Thread(() ->
                {
                    try (ParameterWorker worker = member.worker())
                    {
                        final boolean stays = member != leaving;
                        worker.intent(table, stays ? keys : elsewhere, 0, 1_000_000);
                        final ReadYourWritesSteps steps =
                            new ReadYourWritesSteps(worker, table, keys, id, pushed[id], violations);
                        steps.run(STEPS_BEFORE);
                        readyToLeave.incrementAndGet();
                        while (stays && !left.get())
                        {
                            steps.run(1);
                        }
                        steps.run(stays ? STEPS_AFTER : 0);
                    }
                    catch (final Throwable t)
                    {
                        failures.add(t);
                    }
                }, "worker-" + m));
            }
            workers.forEach(Thread::start);
            while (readyToLeave.get() < MEMBERS && failures.isEmpty())
            {
                Thread.sleep(1);
            }
            workers.get(2).join();
            leaving.leave();
            left.set(true);
            for (final Thread t : workers)
            {
                t.join();
            }
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            assertTrue(violations.isEmpty(), () -> violations.size() + " read-your-writes violations, first: " +
                violations.peek());
            grid.waitSync();
            grid.waitSync();
            for (final GridMember member : grid.members())
            {
                try (ParameterWorker reader = member.worker())
                {
                    final float[] read = new float[KEYS * LENGTH];
                    reader.pull(table, keys, read).await();
                    for (int k = 0; k < KEYS; k++)
                    {
                        final float total = pushed[0][k] + pushed[1][k] + pushed[2][k];
                        assertEquals(total, read[k * LENGTH], "key " + keys[k] + " on " + member);
                    }
                }
            }
        }
    }
}
