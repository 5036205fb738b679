package org.intentgrid.internal;

import org.intentgrid.Filling;
import org.intentgrid.GridConfig;
import org.intentgrid.GridMember;
import org.intentgrid.OffHeapExhaustedException;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.TestGrids;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The machine's memory as a limit shared by every member of a JVM: a store that would eat into the heap's share or the
 * reserve is refused at once with a message, not left to grow until the operating system kills the member.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MachineMemoryTest
{
    private static final long MIB = 1L << 20;
    private static final int LENGTH = 64;
    private static final int BATCH = 100;
    /**
     * 1,048,576 keys x 64 floats: about 160 MB on the member that is the home of half of them, far more than the
     * headroom below, so that the fills reach the limit although the machine's memory moves while the test runs.
     */
    private static final int KEYS = 1 << 20;
    /**
     * What the reserve leaves this JVM's stores beyond what they hold when the test starts (room for a few hundred of
     * the big table's 152 KiB chunks: a stripe takes a chunk with its first key)...
     */
    private static final long HEADROOM = 32 * MIB;
    /**
     * ...or, where what the machine has available binds first (other processes and this JVM's heap hold more than
     * the heap's share), what it leaves the stores: more, since the machine's memory moves while the test runs.
     */
    private static final long MACHINE_HEADROOM = 64 * MIB;

    private ParameterGrid grid;

    @AfterEach
    void stop()
    {
        if (grid != null)
        {
            grid.close();
        }
    }

    @Test
    void theMembersOfAJvmShareWhatTheMachineLeavesThem()
    {
        final MachineMemory machine = new MachineMemory(100 * MIB, 20 * MIB, () -> 10 * MIB);
        final OffHeapMemory first = new OffHeapMemory("first", Long.MAX_VALUE, machine, 30 * MIB);
        final OffHeapMemory second = new OffHeapMemory("second", Long.MAX_VALUE, machine, 30 * MIB);
        assertEquals(50 * MIB, first.machineLimit(), "100 MiB less 20 MiB of heap and a 30 MiB reserve");
        assertEquals(null, first.noRoomWarning(), "a machine that leaves room is not worth a log line");
        assertEquals("the machine leaves the parameters of this JVM no native memory (its " + 100 * MIB + " bytes " +
            "less " + 90 * MIB + " of heap and a reserve of " + 20 * MIB + ", intentgrid.machine-memory-reserve), so " +
            "every new key will be refused; lower the heap or the reserve",
            new OffHeapMemory("small", 1, new MachineMemory(100 * MIB, 40 * MIB, () -> 90 * MIB), 20 * MIB)
                .noRoomWarning(),
            "a machine that leaves nothing (the heap holds 90 MiB of 100) is said at the member's start");
        final Object owner = new Object();
        final OffHeapMemory.Chunks firstChunks = first.account("t1").chunks(owner);
        final OffHeapMemory.Chunks secondChunks = second.account("t2").chunks(owner);
        try
        {
            for (int i = 0; i < 12; i++)
            {
                (i % 2 == 0 ? first.account("t1") : second.account("t2"))
                    .allocate(i % 2 == 0 ? firstChunks : secondChunks, 4 * MIB, true);
            }
            assertEquals(48 * MIB, machine.used());
            final OffHeapExhaustedException refused = assertThrows(OffHeapExhaustedException.class,
                () -> first.account("t1").allocate(firstChunks, 4 * MIB, true),
                "a chunk past the machine's share of both members together is refused");
            final String message = refused.getMessage();
            assertTrue(message.contains("member first") && message.contains("table 't1'") &&
                message.contains((24 * MIB) + " bytes in use") && message.contains("hold " + (48 * MIB) + " bytes of " +
                "the " + (50 * MIB)) && message.contains(GridConfig.MACHINE_MEMORY_RESERVE_PROP_NAME),
                "the message names the member, the table, what is in use, the limit and the setting: " + message);
            assertEquals(48 * MIB, machine.used(), "a refused chunk is not counted");
            assertEquals(24 * MIB, first.used(), "nor on its member");

            second.account("t2").allocate(secondChunks, 4 * MIB, false);
            assertEquals(52 * MIB, machine.used(), "a copy that must live somewhere is taken beyond the limit");

            secondChunks.run();
            assertEquals(24 * MIB, machine.used(), "freed memory leaves the count");
            first.account("t1").allocate(firstChunks, 4 * MIB, true);
            assertEquals(28 * MIB, first.used(), "and makes room again");
        }
        finally
        {
            firstChunks.run();
            secondChunks.run();
        }
        assertEquals(0, machine.used());
    }

    /**
     * Another process (a second member JVM, say) holds most of the machine: this JVM's share would allow the chunk, but
     * the machine would keep less than the reserve, so it is refused. Far from the reserve the machine's memory is read
     * only now and then, and what the stores took since the last reading counts; near it, it is read for every chunk,
     * so that what the other process took or freed since decides at once.
     */
    @Test
    void aChunkThatWouldEatIntoTheReserveOfTheWholeMachineIsRefused()
    {
        final AtomicLong othersLeave = new AtomicLong(200 * MIB);
        final AtomicLong written = new AtomicLong();
        final AtomicInteger readings = new AtomicInteger();
        final AtomicLong clock = new AtomicLong();
        final MachineMemory machine = new MachineMemory(1024 * MIB, 100 * MIB, () -> 50 * MIB, () ->
        {
            readings.incrementAndGet();
            return othersLeave.get() - written.get();
        }, clock::get);
        final OffHeapMemory member = new OffHeapMemory("m", Long.MAX_VALUE, machine, 30 * MIB);
        assertEquals(894 * MIB, member.machineLimit(), "this JVM's share is far from reached");
        assertEquals("the machine has " + 20 * MIB + " bytes available, less than the reserve of " + 30 * MIB +
            " (intentgrid.machine-memory-reserve), so every new key will be refused until other processes on it " +
            "(other member JVMs among them) free memory; lower the reserve or free the machine",
            new OffHeapMemory("late", Long.MAX_VALUE, new MachineMemory(1024 * MIB, 100 * MIB, () -> 50 * MIB,
                () -> 20 * MIB, System::nanoTime), 30 * MIB).noRoomWarning(),
            "a member that starts on a machine others have filled says so at its start");
        assertEquals(null, member.noRoomWarning(), "a machine with room is not worth a log line");
        final OffHeapMemory.Account account = member.account("t");
        final OffHeapMemory.Chunks chunks = account.chunks(new Object());
        try
        {
            allocate(account, chunks, 12, true, written);
            assertEquals(1, readings.get(), "48 MiB of chunks within a second, far from the reserve: one reading");

            othersLeave.set(120 * MIB);
            allocate(account, chunks, 4, true, written);
            assertEquals(1, readings.get(), "another process took 80 MiB; counting does not see it yet");
            allocate(account, chunks, 1, true, written);
            assertEquals(2, readings.get(), "64 MiB after the last reading the machine is read again");
            assertEquals(120 * MIB - 68 * MIB - 4 * MIB, machine.available(),
                "what the reading showed less the newest chunk, which may be unwritten: 18 MiB above the reserve");

            othersLeave.set(100 * MIB);
            final OffHeapExhaustedException refused = assertThrows(OffHeapExhaustedException.class,
                () -> account.allocate(chunks, 4 * MIB, true), "the other process took 20 MiB more: 28 MiB " +
                    "available less 4 MiB would leave 24 MiB, under the 30 MiB reserve; counting since the last " +
                    "reading would have allowed the chunk (44 MiB left)");
            assertEquals(3, readings.get(), "near the reserve every chunk reads the machine");
            final String message = refused.getMessage();
            assertTrue(message.contains("member m") && message.contains("table 't'") &&
                message.contains((68 * MIB) + " bytes in use") && message.contains("the machine would have " +
                (24 * MIB) + " bytes available") && message.contains("reserve of " + 30 * MIB) &&
                message.contains("other member JVMs") && message.contains(GridConfig.MACHINE_MEMORY_RESERVE_PROP_NAME),
                "the message names the member, the table, what is in use, what the machine has and the setting: " +
                message);
            assertEquals(68 * MIB, machine.used(), "a refused chunk is not counted");
            assertEquals(68 * MIB, member.used(), "nor on its member");
            assertThrows(OffHeapExhaustedException.class, () -> account.allocate(chunks, 4 * MIB, true));
            assertEquals(3, readings.get(), "with nothing taken since, the next refusal uses the same reading");
            clock.addAndGet(MachineMemory.READ_NEAR_RESERVE_NANOS);
            assertThrows(OffHeapExhaustedException.class, () -> account.allocate(chunks, 4 * MIB, true));
            assertEquals(4, readings.get(), "near the reserve a reading older than 10 ms is taken again");

            allocate(account, chunks, 4, false, written);
            assertEquals(84 * MIB, machine.used(), "copies that must live somewhere are taken beyond the reserve");

            othersLeave.set(600 * MIB);
            allocate(account, chunks, 1, true, written);
            assertEquals(5, readings.get(), "near the reserve, what the other process freed shows at the next chunk");
            assertEquals(600 * MIB - 88 * MIB - 4 * MIB, machine.available(),
                "the fresh reading less the chunk taken since");
            assertEquals(5, readings.get(), "far from the reserve again: counting");

            othersLeave.set(300 * MIB);
            clock.addAndGet(MachineMemory.READ_EVERY_NANOS);
            assertEquals(300 * MIB - 88 * MIB - 4 * MIB, machine.available(), "a reading a second old is taken again");
            assertEquals(6, readings.get());
        }
        finally
        {
            chunks.run();
        }
        assertEquals(0, machine.used());
    }

    /** Allocates {@code count} chunks of 4 MiB and adds them to what the fake machine shows as written. */
    private static void allocate(final OffHeapMemory.Account account, final OffHeapMemory.Chunks chunks,
        final int count, final boolean withinCap, final AtomicLong written)
    {
        for (int i = 0; i < count; i++)
        {
            account.allocate(chunks, 4 * MIB, withinCap);
            written.addAndGet(4 * MIB);
        }
    }

    /**
     * A reading of the machine shows only the pages the stores wrote. Each store's newest chunk may be written only in
     * part (the chunks before it are full), so every reading counts it as not shown yet, until its chunks are freed.
     */
    @Test
    void everyStoresNewestChunkCountsAsNotShownByAReading()
    {
        final AtomicLong clock = new AtomicLong();
        final MachineMemory machine = new MachineMemory(1024 * MIB, 100 * MIB, () -> 50 * MIB, () -> 500 * MIB,
            clock::get);
        final OffHeapMemory member = new OffHeapMemory("m", Long.MAX_VALUE, machine, 30 * MIB);
        final OffHeapMemory.Account account = member.account("t");
        final List<OffHeapMemory.Chunks> stores = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            stores.add(account.chunks(new Object()));
        }
        try
        {
            account.allocate(stores.get(0), 4 * MIB, true);
            account.allocate(stores.get(0), 4 * MIB, true);
            account.allocate(stores.get(1), 2 * MIB, true);
            account.allocate(stores.get(2), 2 * MIB, false);
            clock.addAndGet(MachineMemory.READ_EVERY_NANOS);
            assertEquals(500 * MIB - 8 * MIB, machine.available(),
                "the three stores' newest chunks (4, 2 and 2 MiB), not the first store's full one");
            stores.get(1).run();
            clock.addAndGet(MachineMemory.READ_EVERY_NANOS);
            assertEquals(500 * MIB - 6 * MIB, machine.available(), "a store's freed chunks count no more");
        }
        finally
        {
            stores.forEach(OffHeapMemory.Chunks::run);
        }
        clock.addAndGet(MachineMemory.READ_EVERY_NANOS);
        assertEquals(500 * MIB, machine.available(), "nothing is left to be written");
    }

    /**
     * A call that will store copies beyond the cap (a localize) checks the room first: the check refuses what an
     * allocation within the cap would refuse, with the same message, and takes nothing either way.
     */
    @Test
    void checkingRoomRefusesWhatAnAllocationWouldAndTakesNothing()
    {
        final AtomicLong available = new AtomicLong(1000 * MIB);
        final AtomicLong clock = new AtomicLong();
        final MachineMemory machine = new MachineMemory(100 * MIB, 20 * MIB, () -> 10 * MIB, available::get,
            clock::get);
        final OffHeapMemory capped = new OffHeapMemory("capped", 12 * MIB, machine, 30 * MIB);
        final OffHeapMemory other = new OffHeapMemory("other", Long.MAX_VALUE, machine, 30 * MIB);
        final OffHeapMemory.Account account = capped.account("t");
        final OffHeapMemory.Chunks chunks = account.chunks(new Object());
        final OffHeapMemory.Chunks otherChunks = other.account("u").chunks(new Object());
        try
        {
            account.checkRoom(12 * MIB);
            account.allocate(chunks, 8 * MIB, true);
            account.checkRoom(0);
            final String overCap = assertThrows(OffHeapExhaustedException.class, () -> account.checkRoom(8 * MIB),
                "8 MiB more than 8 in use passes a 12 MiB cap").getMessage();
            assertTrue(overCap.contains("member capped") && overCap.contains("table 't'") &&
                overCap.contains((8 * MIB) + " bytes in use of a cap of " + 12 * MIB), overCap);
            assertEquals(8 * MIB, capped.used(), "a check takes nothing");
            assertEquals(8 * MIB, machine.used(), "nor on the machine");

            for (int i = 0; i < 10; i++)
            {
                other.account("u").allocate(otherChunks, 4 * MIB, true);
            }
            final String overMachine = assertThrows(OffHeapExhaustedException.class,
                () -> account.checkRoom(4 * MIB), "48 MiB held of the 50 the machine leaves this JVM").getMessage();
            assertTrue(overMachine.contains("hold " + (48 * MIB) + " bytes of the " + (50 * MIB)), overMachine);
            assertEquals(48 * MIB, machine.used(), "a refused check takes nothing");

            otherChunks.run();
            available.set(41 * MIB);
            clock.addAndGet(MachineMemory.READ_EVERY_NANOS);
            final String overReserve = assertThrows(OffHeapExhaustedException.class,
                () -> account.checkRoom(4 * MIB), "41 MiB available less the 8 MiB chunk that may be unwritten " +
                    "less 4 is under the 30 MiB reserve").getMessage();
            assertTrue(overReserve.contains("the machine would have " + (29 * MIB) + " bytes available"), overReserve);
            available.set(1000 * MIB);
            clock.addAndGet(MachineMemory.READ_EVERY_NANOS);
            account.checkRoom(4 * MIB);
            assertEquals(8 * MIB, machine.used(), "checks that pass take nothing either");
        }
        finally
        {
            chunks.run();
            otherChunks.run();
        }
        assertEquals(0, machine.used());
    }

    @Test
    void theReserveIsATenthOfTheMachineWithinBoundsUnlessSet()
    {
        final long auto = GridConfig.MACHINE_MEMORY_RESERVE_AUTO;
        assertEquals(512 * MIB, new MachineMemory(2048 * MIB, 0, () -> 0).reserve(auto));
        assertEquals(2400 * MIB, new MachineMemory(24000 * MIB, 0, () -> 0).reserve(auto));
        assertEquals(8192 * MIB, new MachineMemory(1L << 40, 0, () -> 0).reserve(auto));
        assertEquals(7, new MachineMemory(1L << 40, 0, () -> 0).reserve(7));
        final MachineMemory unknown = new MachineMemory(Long.MAX_VALUE, 1L << 30, () -> 0);
        assertEquals(Long.MAX_VALUE, unknown.limit(unknown.reserve(auto)),
            "nothing is refused on a machine of unknown size");
        final long total = ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
        assertEquals(total, MachineMemory.thisJvm().machineBytes(), "this JVM's members know the machine's memory");
        final MachineMemory smallMachine = new MachineMemory(1024 * MIB, 4096 * MIB, () -> 100 * MIB);
        assertEquals(512 * MIB, smallMachine.heapShare(), "a maximum heap above the machine's (a launcher's fixed " +
            "-Xmx) counts as half of the machine");
        assertEquals(300 * MIB, new MachineMemory(1024 * MIB, 256 * MIB, () -> 300 * MIB).heapShare(),
            "the heap counts at least as what it holds");
        assertEquals(256 * MIB, new MachineMemory(1024 * MIB, 256 * MIB, () -> 100 * MIB).heapShare(),
            "and else as its maximum");
    }

    /**
     * Two members, with a reserve that leaves this JVM's stores 32 MiB more than they hold now (or 64 MiB of what
     * the machine has available, if that is less): the worker's member fills a table through the other member (each
     * key's home is there) until the machine's share is gone. The failing call fails at once naming the setting;
     * what was created keeps its values; dropping the table frees the memory for another.
     */
    @Test
    void fillingTheMachinesShareFailsAtOnceAndDroppingATableGivesItBack()
    {
        final MachineMemory machine = MachineMemory.thisJvm();
        final long reserve = Math.min(machine.machineBytes() - machine.heapShare() - machine.used() - HEADROOM,
            machine.available() - MACHINE_HEADROOM);
        assertTrue(reserve > 0, "this machine has more memory than the test's heap and 64 MiB");
        grid = ParameterGrid.start(GridConfig.embedded().members(2).backups(0).machineMemoryReserveBytes(reserve));
        final Table small = grid.table(TableSpec.of("machine-small", 64, 4));
        final Table big = grid.table(TableSpec.of("machine-big", KEYS, LENGTH));
        final GridMember other = grid.member(1);
        final long[] homedAtOther = Filling.keysHomedAt(other, big);
        try (ParameterWorker worker = grid.member(0).worker())
        {
            final long[] smallKeys = Filling.pushOnesToAll(worker, small);

            final float[] ones = new float[BATCH * LENGTH];
            Arrays.fill(ones, 1);
            final int fitted = fill(worker, big, homedAtOther, ones);
            assertTrue(fitted > 0, "keys fit until the machine's share was gone");
            assertTrue(machine.used() <= machine.limit(reserve), "this JVM's stores hold " + machine.used() +
                " bytes, at most the " + machine.limit(reserve) + " the machine leaves them");

            Filling.assertFittedKept(worker, big, homedAtOther, BATCH, fitted);
            Filling.pushOnesToAll(worker, small);

            grid.drop(big);
            final Table next = grid.table(TableSpec.of("machine-next", KEYS, LENGTH));
            final long[] nextHomedAtOther = Filling.keysHomedAt(other, next);
            assertTrue(fill(worker, next, nextHomedAtOther, ones) >= fitted / 2,
                "the dropped table's memory is the machine's again");
            final float[] smallValues = new float[smallKeys.length * 4];
            worker.pull(small, smallKeys, smallValues).await();
            assertEquals(TestGrids.initial(small, 5, 0) + 2, smallValues[5 * 4], "the small table is untouched");
        }
    }

    /** Pushes batches of {@code keys} until the machine's share is gone; returns the batches that fitted. */
    private static int fill(final ParameterWorker worker, final Table table, final long[] keys, final float[] ones)
    {
        final Filling.Result filled = Filling.fill(worker, table, keys, BATCH, ones);
        assertNotNull(filled.refusal, "filling " + keys.length + " keys x " + LENGTH + " floats was never refused");
        assertTrue(filled.refusedAfterNanos < TimeUnit.SECONDS.toNanos(10), "the failing call failed at once, not " +
            "after the request timeout: " + filled.refusedAfterNanos / 1_000_000 + " ms");
        final String message = filled.refusal.getMessage();
        assertTrue(message.contains("table '" + table.name() + "'") && message.contains("bytes in use") &&
            message.contains(GridConfig.MACHINE_MEMORY_RESERVE_PROP_NAME), "the message names what and why: " +
            message);
        System.out.printf("%d batches of %d keys fitted; then, after %d ms: %s%n", filled.fitted, BATCH,
            filled.refusedAfterNanos / 1_000_000, message);
        return filled.fitted;
    }

    private static long[] batch(final long[] keys, final int index)
    {
        return Filling.batch(keys, BATCH, index);
    }
}
