package org.intentgrid.internal;

import org.agrona.UnsafeAccess;
import org.intentgrid.GridConfig;
import org.intentgrid.OffHeapExhaustedException;
import sun.misc.Unsafe;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The native memory of one member's stores: slot chunks allocated with {@code Unsafe.allocateMemory}, so that the
 * store is bounded by this member's cap and the machine's share of this JVM ({@link MachineMemory}) rather than by
 * the JVM's direct-memory limit (which defaults to the heap size, and which a drop-in plugin cannot expect members
 * to raise).
 * <p>
 * A chunk is freed when its table is dropped or the member shuts down ({@link #freeAfterGrace}), or else when the
 * object that owns it (its stripe) becomes unreachable. Never at once: a lock-free reader may be in the middle of an
 * optimistic read of a chunk it found before the drop, and reading freed native memory can crash the JVM; such a
 * read takes nanoseconds, so chunks wait {@link #FREE_GRACE_MILLIS} (far longer, and longer than any GC pause
 * this grid sees) before they are freed. Thread-safe.
 */
final class OffHeapMemory
{
    private static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;
    private static final Cleaner CLEANER = Cleaner.create(runnable ->
    {
        final Thread thread = new Thread(runnable, "intentgrid-offheap-free");
        thread.setDaemon(true);
        return thread;
    });

    /** How long detached chunks wait before they are freed; see the class comment for why. */
    static final long FREE_GRACE_MILLIS = 1000;
    private static final Executor AFTER_GRACE =
        CompletableFuture.delayedExecutor(FREE_GRACE_MILLIS, TimeUnit.MILLISECONDS, OffHeapMemory::runOnFreeThread);

    private final String memberName;
    private final long cap;
    private final AtomicLong used = new AtomicLong();
    private final MachineMemory machine;
    private final long reserve;

    /**
     * @param memberName for error messages
     * @param cap        most bytes this member may hold, {@link Long#MAX_VALUE} for no cap
     * @param machine    the machine's memory, shared by every member of the JVM
     * @param reserve    bytes of the machine to leave free besides the heap, or
     *                   {@link GridConfig#MACHINE_MEMORY_RESERVE_AUTO}
     */
    OffHeapMemory(final String memberName, final long cap, final MachineMemory machine, final long reserve)
    {
        this.memberName = memberName;
        this.cap = cap;
        this.machine = machine;
        this.reserve = machine.reserve(reserve);
    }

    /** @return memory without a cap, on a machine of unknown size, for a single stripe in a test */
    static OffHeapMemory unlimited()
    {
        return new OffHeapMemory("test", Long.MAX_VALUE, new MachineMemory(Long.MAX_VALUE, 0, () -> 0), 0);
    }

    private OffHeapExhaustedException exhausted(
        final String table, final long requested, final long inUse, final Throwable cause)
    {
        return new OffHeapExhaustedException(noRoom(table, requested, inUse) + (cap == Long.MAX_VALUE ?
            " and the machine refused more memory" : " of a cap of " + cap + " (" +
            GridConfig.MAX_OFFHEAP_BYTES_PROP_NAME + ")") +
            "; raise the cap, add members, or use fewer or smaller tables", cause);
    }

    private OffHeapExhaustedException machineFull(
        final String table, final long requested, final long inUse, final long limit, final long heap)
    {
        return new OffHeapExhaustedException(noRoom(table, requested, inUse) + ", and the stores of this JVM hold " +
            machine.used() + " bytes of the " + Math.max(0, limit) + " the machine's memory leaves them (" +
            reckoning(heap) + "); add members, use fewer or smaller tables, lower the reserve, or give the machine " +
            "more memory", null);
    }

    private OffHeapExhaustedException machineShort(final String table, final long requested, final long inUse)
    {
        return new OffHeapExhaustedException(noRoom(table, requested, inUse) + ", and after them the machine would " +
            "have " + (machine.available() - requested) + " bytes available (its " + machine.machineBytes() +
            " bytes less what every process on it holds, other member JVMs among them, and what the stores' " +
            "newest chunks will take as they fill), less than the reserve of " +
            reserve + " it must keep (" + GridConfig.MACHINE_MEMORY_RESERVE_PROP_NAME + "); add members on other " +
            "machines, use fewer or smaller tables, stop what else holds the machine's memory, or lower the reserve",
            null);
    }

    private String noRoom(final String table, final long requested, final long inUse)
    {
        return "member " + memberName + " has no room for " + requested + " more bytes of table '" + table + "': " +
            inUse + " bytes in use";
    }

    /** @return how the machine's share of this JVM is reckoned, with the setting that changes it */
    private String reckoning(final long heap)
    {
        return machine.machineBytes() + " bytes less " + heap + " of heap and a reserve of " + reserve + ", " +
            GridConfig.MACHINE_MEMORY_RESERVE_PROP_NAME;
    }

    private static void runOnFreeThread(final Runnable task)
    {
        final Thread thread = new Thread(task, "intentgrid-offheap-free");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Frees detached chunks once no lock-free reader can still be reading them.
     *
     * @return completes when the memory is freed and no longer counted
     */
    static CompletableFuture<Void> freeAfterGrace(final List<Chunks> detached)
    {
        return CompletableFuture.runAsync(() -> detached.forEach(Chunks::run), AFTER_GRACE);
    }

    /** @return the accounting of one table's chunks on this member */
    Account account(final String table)
    {
        return new Account(table);
    }

    /** @return bytes allocated and not yet freed */
    long used()
    {
        return used.get();
    }

    /** @return the cap, {@link Long#MAX_VALUE} if there is none */
    long cap()
    {
        return cap;
    }

    /**
     * @return null, or when the machine leaves the stores of this JVM nothing, one line for the member's log that
     *         says so, with the numbers and what to lower
     */
    String noRoomWarning()
    {
        final long heap = machine.heapShare();
        if (machine.limit(reserve, heap) <= 0)
        {
            return "the machine leaves the parameters of this JVM no native memory (its " + reckoning(heap) + "), " +
                "so every new key will be refused; lower the heap or the reserve";
        }
        final long available = machine.available();
        if (available != Long.MAX_VALUE && available < reserve)
        {
            return "the machine has " + available + " bytes available, less than the reserve of " + reserve + " (" +
                GridConfig.MACHINE_MEMORY_RESERVE_PROP_NAME + "), so every new key will be refused until other " +
                "processes on it (other member JVMs among them) free memory; lower the reserve or free the machine";
        }
        return null;
    }

    /**
     * @return the most native memory the stores of every member of this JVM may hold together before the machine
     *         runs short, {@link Long#MAX_VALUE} if the machine's memory is unknown
     */
    long machineLimit()
    {
        return Math.max(0, machine.limit(reserve));
    }

    /** @return what the machine has available now, {@link Long#MAX_VALUE} if it does not tell */
    long machineAvailable()
    {
        return machine.available();
    }

    /** One table's share of a member's native memory. */
    final class Account
    {
        private final String table;
        private final AtomicLong bytes = new AtomicLong();

        private Account(final String table)
        {
            this.table = table;
        }

        /** @return bytes this table holds on this member */
        long bytes()
        {
            return bytes.get();
        }

        /** @return an empty set of chunks, freed together once {@code owner} is unreachable */
        Chunks chunks(final Object owner)
        {
            final Chunks chunks = new Chunks(this);
            CLEANER.register(owner, chunks);
            return chunks;
        }

        /**
         * Checks that {@code size} more bytes would fit under the cap and the machine's limit now, taking nothing:
         * for a call that will store copies beyond the cap (they must live somewhere once they arrive) to refuse at
         * its start instead.
         *
         * @throws OffHeapExhaustedException if they would not, with the message {@link #allocate} would give
         */
        void checkRoom(final long size)
        {
            if (size == 0)
            {
                return;
            }
            final long inUse = used.get();
            if (!MachineMemory.fits(inUse, size, cap))
            {
                throw exhausted(table, size, inUse, null);
            }
            final long heap = machine.heapShare();
            final long limit = machine.limit(reserve, heap);
            if (!MachineMemory.fits(machine.used(), size, limit))
            {
                throw machineFull(table, size, inUse, limit, heap);
            }
            if (!machine.keepsReserveAfter(size, reserve, false))
            {
                throw machineShort(table, size, inUse);
            }
        }

        /**
         * Allocates {@code size} bytes as one more chunk of {@code chunks}.
         *
         * @param withinCap false to take the memory even beyond the cap
         * @throws OffHeapExhaustedException if the cap or the machine's memory leaves no room; nothing is allocated
         */
        long allocate(final Chunks chunks, final long size, final boolean withinCap)
        {
            final long after = used.addAndGet(size);
            if (withinCap && !MachineMemory.fits(after - size, size, cap))
            {
                used.addAndGet(-size);
                throw exhausted(table, size, after - size, null);
            }
            if (!withinCap)
            {
                machine.take(size);
            }
            else
            {
                final long heap = machine.heapShare();
                final long limit = machine.limit(reserve, heap);
                if (!machine.tryTake(size, limit))
                {
                    used.addAndGet(-size);
                    throw machineFull(table, size, after - size, limit, heap);
                }
                if (!machine.keepsReserveAfter(size, reserve, true))
                {
                    used.addAndGet(-size);
                    machine.release(size);
                    throw machineShort(table, size, after - size);
                }
            }
            final long address;
            try
            {
                address = UNSAFE.allocateMemory(size);
            }
            catch (final OutOfMemoryError e)
            {
                used.addAndGet(-size);
                machine.release(size);
                throw exhausted(table, size, after - size, e);
            }
            bytes.addAndGet(size);
            chunks.add(address, size);
            return address;
        }

        private void newestChunkChanged(final long delta)
        {
            if (delta != 0)
            {
                machine.newestChunksChanged(delta);
            }
        }

        private void released(final long size)
        {
            bytes.addAndGet(-size);
            used.addAndGet(-size);
            machine.release(size);
        }
    }

    /**
     * The chunks of one owner and the cleaning action that frees them: it must not refer to the owner, or the owner
     * would never become unreachable. Appended to under the owner's lock; run once the owner is gone or after it
     * detached them (the second run finds nothing left to free).
     */
    static final class Chunks implements Runnable
    {
        private final Account account;
        private long[] addresses = new long[4];
        private int count;
        private long bytes;
        private long newest;

        private Chunks(final Account account)
        {
            this.account = account;
        }

        private synchronized void add(final long address, final long size)
        {
            if (count == addresses.length)
            {
                addresses = Arrays.copyOf(addresses, count * 2);
            }
            addresses[count++] = address;
            bytes += size;
            account.newestChunkChanged(size - newest);
            newest = size;
        }

        @Override
        public synchronized void run()
        {
            for (int i = 0; i < count; i++)
            {
                UNSAFE.freeMemory(addresses[i]);
            }
            account.released(bytes);
            account.newestChunkChanged(-newest);
            count = 0;
            bytes = 0;
            newest = 0;
        }
    }
}
