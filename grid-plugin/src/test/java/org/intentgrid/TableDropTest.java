package org.intentgrid;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dropping a table: every member forgets it and frees its memory, workers busy with it (pulls, pushes, intents,
 * replicas) get a clear error and nothing else breaks, and another table's exact sums are untouched.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TableDropTest
{
    private static final int KEYS = 4_096;
    private static final int LENGTH = 16;
    private static final int BATCH = 32;

    private ParameterGrid grid;

    @AfterEach
    void stop()
    {
        grid.close();
    }

    @Test
    void aDropSentByOneMemberReachesTheOthers()
    {
        grid = TestGrids.start(2);
        final Table table = grid.table(TableSpec.of("drop-sent", KEYS, LENGTH));
        grid.materializeAll(table);
        final GridMember other = grid.member(1);
        assertTrue(other.offHeapBytes() > 0, "the other member holds keys before the drop");

        grid.member(0).dropEverywhere(table);

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (other.offHeapBytes() > 0 && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        assertEquals(0, other.offHeapBytes(), "the other member freed the table's memory on the drop message alone");
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> other.mainCopies(table));
        assertTrue(refused.getMessage().contains("'drop-sent' was dropped"), refused.getMessage());
    }

    @Test
    void aMemberJoiningAfterADropIsToldOfIt()
    {
        grid = TestGrids.start(2);
        final Table table = grid.table(TableSpec.of("drop-before-join", KEYS, LENGTH));
        grid.materializeAll(table);
        grid.drop(table);

        final GridMember late = grid.addMember();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        IllegalStateException refused = null;
        while (refused == null && System.nanoTime() < deadline)
        {
            try
            {
                late.mainCopies(table);
                Thread.onSpinWait();
            }
            catch (final IllegalStateException expected)
            {
                refused = expected;
            }
        }
        assertTrue(refused != null, "the member that joined after the drop refuses the table within 10 s");
        assertTrue(refused.getMessage().contains("'drop-before-join' was dropped"), refused.getMessage());
        try (ParameterWorker worker = late.worker())
        {
            final IllegalStateException push = assertThrows(IllegalStateException.class,
                () -> worker.push(table, new long[] {1}, new float[LENGTH]));
            assertTrue(push.getMessage().contains("'drop-before-join' was dropped"), push.getMessage());
        }
        assertEquals(0, late.offHeapBytes(), "the late member holds nothing of the dropped table");
    }

    @Test
    void aDroppedNameIsDeclaredAgainAsANewTableThatOldHandlesNeverReach()
    {
        grid = TestGrids.start(2);
        final Table first = grid.table(TableSpec.of("drop-reused", KEYS, LENGTH).init(Init.normal(0, 0.1, 7)));
        pushOnes(first, 2);
        grid.drop(first);

        final int length = LENGTH / 2;
        final Table second = grid.table(TableSpec.of("drop-reused", KEYS, length).init(Init.normal(0, 0.1, 9)));
        assertEquals(1, second.spec().incarnation(), "the name's second table is its incarnation 1");
        assertEquals(second, grid.table("drop-reused"), "the name finds the new table");
        assertEquals(List.of(second), grid.tables(), "only the new table is declared");
        assertEquals(second, grid.table(TableSpec.of("drop-reused", KEYS, length).init(Init.normal(0, 0.1, 9))),
            "declaring the new shape again is a no-op");
        assertAll(second, 0, "the new table starts from its own initial values, not the dropped table's");
        pushOnes(second, 3);
        assertAll(second, 3, "every member's pushes to the new table counted once");
        for (final GridMember member : grid.members())
        {
            final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> member.mainCopies(first));
            assertTrue(refused.getMessage().contains("'drop-reused' was dropped"), refused.getMessage());
            try (ParameterWorker worker = member.worker())
            {
                final IllegalStateException push = assertThrows(IllegalStateException.class,
                    () -> worker.push(first, new long[] {1}, new float[LENGTH]).await());
                assertTrue(push.getMessage().contains("'drop-reused' was dropped"), push.getMessage());
            }
        }

        grid.drop(first);
        assertEquals(second, grid.table("drop-reused"), "dropping the old handle again leaves the new table declared");
        assertAll(second, 3, "and its values untouched");

        grid.drop(second);
        final Table third = grid.table(TableSpec.of("drop-reused", KEYS, LENGTH));
        assertEquals(2, third.spec().incarnation());
        final GridMember late = grid.addMember();
        pushOnes(third, 1);
        assertAll(third, 1, "a member that joined after two drops of the name serves its third table");
        for (final GridMember member : grid.members())
        {
            assertEquals(member.offHeapBytes(third) + member.backupStats().backupBytes(), member.offHeapBytes(),
                member + " holds memory of the current table only");
        }
        assertTrue(late.offHeapBytes(third) > 0, "the late member holds some of the new table's keys");
    }

    @Test
    void aDeclarationThatMeetsAHalfDoneDropMakesTheNextIncarnation()
    {
        grid = TestGrids.start(1);
        final TableSpec spec = TableSpec.of("drop-half-done", KEYS, LENGTH);
        final Table first = grid.table(spec);
        // a drop records the dropped incarnation, then forgets the declaration: here it stopped in between
        grid.member(0).hazelcast().<String, String>getMap(TableRegistry.DROPPED_MAP_NAME)
            .put(spec.name(), TableRegistry.encode(first.spec()));
        final Table next = grid.table(spec);
        assertEquals(1, next.spec().incarnation(), "not the dropped incarnation the declaration map still named");
        assertEquals(next, grid.table("drop-half-done"));
        try (ParameterWorker worker = grid.worker())
        {
            worker.push(next, new long[] {3}, new float[LENGTH]).await();
        }
    }

    @Test
    void updatesOfTheDroppedTableRacingItsRedeclarationNeverReachTheNewTable() throws Exception
    {
        grid = TestGrids.start(2);
        final Table old = grid.table(TableSpec.of("drop-raced", KEYS, LENGTH));
        final AtomicReference<Table> fresh = new AtomicReference<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> unexpected = new AtomicReference<>();
        final AtomicLong freshPushes = new AtomicLong();
        final CountDownLatch running = new CountDownLatch(4);
        final List<Thread> threads = new ArrayList<>();
        for (int m = 0; m < 2; m++)
        {
            for (int w = 0; w < 2; w++)
            {
                final GridMember member = grid.member(m);
                final long seed = 97L * m + w;
                threads.add(new Thread(() -> pushThroughRedeclaration(member, old, fresh, seed, stop, running,
                    freshPushes, unexpected), "drop-race-" + m + "-" + w));
            }
        }
        threads.forEach(Thread::start);
        assertTrue(running.await(30, TimeUnit.SECONDS), "workers started");
        Thread.sleep(300);

        grid.drop(old);
        fresh.set(grid.table(TableSpec.of("drop-raced", KEYS, LENGTH)));
        Thread.sleep(500);
        stop.set(true);
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!thread.isAlive(), thread.getName() + " finished");
        }
        assertNull(unexpected.get(), () -> "unexpected failure: " + unexpected.get());
        assertTrue(freshPushes.get() > 0, "the new table was trained");

        grid.members().forEach(GridMember::waitSync);
        final long[] keys = new long[KEYS];
        Arrays.setAll(keys, k -> k);
        final float[] values = new float[KEYS * LENGTH];
        try (ParameterWorker reader = grid.member(1).worker())
        {
            reader.pull(fresh.get(), keys, values).await();
        }
        double sum = 0;
        for (int k = 0; k < KEYS; k++)
        {
            sum += values[k * LENGTH + LENGTH - 1];
        }
        assertEquals((double)freshPushes.get() * BATCH, sum, 0.0,
            "the new table holds exactly its own pushes, none of the dropped table's in-flight ones");
    }

    /**
     * Pushes to the old table through replicas (intents) and several pushes in flight at once, so that deltas and
     * pushes of it are on their way when it is dropped; then pushes to the new table once it is declared.
     */
    private static void pushThroughRedeclaration(final GridMember member, final Table old,
        final AtomicReference<Table> fresh, final long seed, final AtomicBoolean stop, final CountDownLatch running,
        final AtomicLong freshPushes, final AtomicReference<Throwable> unexpected)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final long[][] keys = new long[4][BATCH];
        final float[] ones = new float[BATCH * LENGTH];
        Arrays.fill(ones, 1);
        final OpHandle[] inFlight = new OpHandle[keys.length];
        boolean oldGone = false;
        try (ParameterWorker worker = member.worker())
        {
            running.countDown();
            while (!stop.get())
            {
                for (final long[] batch : keys)
                {
                    for (int i = 0; i < BATCH; i++)
                    {
                        batch[i] = random.nextInt(KEYS);
                    }
                }
                final Table next = fresh.get();
                if (!oldGone)
                {
                    try
                    {
                        for (int b = 0; b < keys.length; b++)
                        {
                            worker.intent(old, keys[b], worker.clock(), worker.clock() + 3);
                            inFlight[b] = worker.push(old, keys[b], ones);
                        }
                        TestGrids.awaitAll(inFlight);
                    }
                    catch (final IllegalStateException e)
                    {
                        if (!e.getMessage().contains("dropped"))
                        {
                            throw e;
                        }
                        oldGone = true;
                    }
                }
                else if (next != null)
                {
                    worker.push(next, keys[0], ones).await();
                    freshPushes.incrementAndGet();
                }
                worker.advanceClock();
            }
        }
        catch (final Throwable e)
        {
            unexpected.compareAndSet(null, e);
        }
    }

    /** Pushes {@code times} ones to every key of {@code table} from each member's worker, then waits for the sync. */
    private void pushOnes(final Table table, final int times)
    {
        final long[] keys = new long[KEYS];
        Arrays.setAll(keys, k -> k);
        final float[] ones = new float[KEYS * table.valueLength()];
        Arrays.fill(ones, 1);
        for (final GridMember member : grid.members())
        {
            try (ParameterWorker worker = member.worker())
            {
                for (int t = 0; t < times; t++)
                {
                    worker.push(table, keys, ones).await();
                }
            }
        }
        grid.members().forEach(GridMember::waitSync);
    }

    /** Asserts that every element of every key is its initial value plus {@code pushesPerMember} per member. */
    private void assertAll(final Table table, final int pushesPerMember, final String what)
    {
        final long[] keys = new long[KEYS];
        Arrays.setAll(keys, k -> k);
        final int length = table.valueLength();
        final float[] values = new float[KEYS * length];
        final float added = (float)pushesPerMember * grid.members().size();
        for (final GridMember member : grid.members())
        {
            try (ParameterWorker reader = member.worker())
            {
                reader.pull(table, keys, values).await();
            }
            for (int k = 0; k < KEYS; k++)
            {
                for (int e = 0; e < length; e++)
                {
                    assertEquals(TestGrids.initial(table, k, e) + added, values[k * length + e], 1e-5,
                        what + ": key " + k + " element " + e + " read on " + member);
                }
            }
        }
    }

    @Test
    void workersBusyWithADroppedTableFailCleanlyAndOtherTablesKeepExactSums() throws Exception
    {
        grid = TestGrids.start(2);
        final Table doomed = grid.table(TableSpec.of("drop-doomed", KEYS, LENGTH));
        final Table kept = grid.table(TableSpec.of("drop-kept", KEYS, LENGTH));
        final int workersPerMember = 2;
        final List<Thread> threads = new ArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> unexpected = new AtomicReference<>();
        final AtomicLong keptPushes = new AtomicLong();
        final CountDownLatch running = new CountDownLatch(workersPerMember * 2);
        for (int m = 0; m < 2; m++)
        {
            for (int w = 0; w < workersPerMember; w++)
            {
                final GridMember member = grid.member(m);
                final long seed = 31L * m + w;
                threads.add(new Thread(() -> churn(member, doomed, kept, seed, stop, running, keptPushes, unexpected),
                    "drop-churn-" + m + "-" + w));
            }
        }
        threads.forEach(Thread::start);
        assertTrue(running.await(30, TimeUnit.SECONDS), "workers started");
        Thread.sleep(300);

        grid.drop(doomed);
        Thread.sleep(300);
        stop.set(true);
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertTrue(!thread.isAlive(), thread.getName() + " finished");
        }
        assertNull(unexpected.get(), () -> "unexpected failure: " + unexpected.get());

        for (final GridMember member : grid.members())
        {
            final long[] memory = settledMemory(member, kept);
            assertEquals(memory[0] + memory[1], memory[2], member + " holds only the kept table and its backups");
        }
        grid.members().forEach(GridMember::waitSync);
        final long[] keys = new long[KEYS];
        Arrays.setAll(keys, k -> k);
        final float[] values = new float[KEYS * LENGTH];
        try (ParameterWorker reader = grid.member(0).worker())
        {
            reader.pull(kept, keys, values).await();
        }
        double sum = 0;
        for (int k = 0; k < KEYS; k++)
        {
            sum += values[k * LENGTH] - TestGrids.initial(kept, k, 0);
        }
        assertEquals((double)keptPushes.get() * BATCH, sum, 1e-3 * keptPushes.get() * BATCH,
            "every push to the kept table counted once");
        assertTrue(keptPushes.get() > 0, "the kept table was trained");
    }

    /**
     * A backup flush still on its way when the workers stopped changes the holder's memory between the three reads:
     * read until two readings 50 ms apart agree.
     *
     * @return the kept table's bytes, the backups' bytes and all off-heap bytes of {@code member}
     */
    private static long[] settledMemory(final GridMember member, final Table kept) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long[] last = null;
        while (true)
        {
            final long[] now = {member.offHeapBytes(kept), member.backupStats().backupBytes(), member.offHeapBytes()};
            if (Arrays.equals(last, now))
            {
                return now;
            }
            assertTrue(System.nanoTime() < deadline, member + "'s memory settles within 10 s");
            last = now;
            Thread.sleep(50);
        }
    }

    private static void churn(final GridMember member, final Table doomed, final Table kept, final long seed,
        final AtomicBoolean stop, final CountDownLatch running, final AtomicLong keptPushes,
        final AtomicReference<Throwable> unexpected)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] keys = new long[BATCH];
        final float[] ones = new float[BATCH * LENGTH];
        Arrays.fill(ones, 1);
        final float[] values = new float[BATCH * LENGTH];
        boolean doomedGone = false;
        try (ParameterWorker worker = member.worker())
        {
            running.countDown();
            while (!stop.get())
            {
                for (int i = 0; i < BATCH; i++)
                {
                    keys[i] = random.nextInt(KEYS);
                }
                if (!doomedGone)
                {
                    try
                    {
                        worker.intent(doomed, keys, worker.clock(), worker.clock() + 2);
                        worker.pull(doomed, keys, values).await();
                        worker.push(doomed, keys, ones).await();
                    }
                    catch (final IllegalStateException e)
                    {
                        if (!e.getMessage().contains("dropped"))
                        {
                            throw e;
                        }
                        doomedGone = true;
                    }
                }
                worker.push(kept, keys, ones).await();
                keptPushes.incrementAndGet();
                worker.advanceClock();
            }
        }
        catch (final Throwable e)
        {
            unexpected.compareAndSet(null, e);
        }
    }
}
