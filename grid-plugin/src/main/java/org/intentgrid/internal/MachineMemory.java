package org.intentgrid.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The machine's memory as the stores of one JVM see it: every member in the JVM shares it, so their native memory is
 * counted together here, against the machine's memory (a container's limit inside a container) less the JVM's
 * heap ({@link #heapShare}) and a reserve for everything else.
 * <p>
 * Why the grid checks this itself: Linux overcommits by default, so {@code malloc} of a chunk succeeds long after the
 * machine is full and the kernel's out-of-memory killer ends the member with {@code SIGKILL} once the chunk is
 * touched. Refusing the chunk instead fails one call with a message, as a member's cap does.
 * <p>
 * Two rules, both checked for every chunk a store asks for: the stores of this JVM stay within the machine's memory
 * less the heap's share and the reserve ({@link #limit}), which keeps room for the heap to grow; and the machine keeps
 * the reserve available after the chunk ({@link #keepsReserveAfter}), which counts everything else on it: other
 * member JVMs sharing the machine, other processes. The second reads the machine's available memory
 * ({@link AvailableMemory}) every {@link #READ_EVERY_BYTES} of this JVM's stores or {@link #READ_EVERY_NANOS}, and in
 * between counts what the stores took since; within {@link #READ_EVERY_BYTES} of the reserve it reads it for every
 * chunk taken ({@link #READ_NEAR_RESERVE_NANOS}), since what no count covers (the heap growing, other processes) then
 * decides whether the kernel kills a JVM.
 * A reading cannot show the part of a chunk not written yet, and the kernel will back it once slots fill it: each
 * store's newest chunk ({@link #newestChunksChanged}; a chunk before it is written, since a new chunk is taken only
 * when every slot of the last one was) is subtracted from every reading whole. A table of a thousand stripes has a
 * thousand such chunks, more than a reserve. Thread-safe.
 */
final class MachineMemory
{
    /** The reserve when none is configured is a tenth of the machine, at least this much... */
    private static final long MIN_AUTO_RESERVE = 512L << 20;
    /** ...and at most this much (the operating system needs no more on a large machine). */
    private static final long MAX_AUTO_RESERVE = 8L << 30;

    /** The machine's available memory is read again once the stores of this JVM grew or shrank by this much... */
    static final long READ_EVERY_BYTES = 64L << 20;
    /** ...or when the last reading is older than this, as other processes come and go. */
    static final long READ_EVERY_NANOS = 1_000_000_000L;
    /**
     * Near the reserve it is read for every chunk the stores took since, else when the reading is older than this:
     * a table being filled past the limit asks for a chunk per key, and each refusal must not read the files again.
     */
    static final long READ_NEAR_RESERVE_NANOS = 10_000_000L;

    private static final MachineMemory THIS_JVM = new MachineMemory(totalMemory(), Runtime.getRuntime().maxMemory(),
        Runtime.getRuntime()::totalMemory, AvailableMemory.ofThisProcess(), System::nanoTime);

    private final long machineBytes;
    private final long maxHeapBytes;
    private final LongSupplier committedHeapBytes;
    private final LongSupplier availableBytes;
    private final LongSupplier nanoClock;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong newestChunks = new AtomicLong();
    private volatile Reading reading;

    /** The machine's available memory as last read, and this JVM's stores and the time at that reading. */
    private record Reading(long available, long usedThen, long nanos)
    {
        /** @return the available memory this reading tells once the stores hold {@code usedNow} */
        long estimate(final long usedNow)
        {
            return available == Long.MAX_VALUE ? Long.MAX_VALUE : available - (usedNow - usedThen);
        }
    }

    /**
     * A machine whose available memory is not read (nothing else runs on it).
     *
     * @param machineBytes       the machine's memory, {@link Long#MAX_VALUE} if unknown (then nothing is refused)
     * @param maxHeapBytes       the most heap the JVM may take
     * @param committedHeapBytes the heap the JVM holds now
     */
    MachineMemory(final long machineBytes, final long maxHeapBytes, final LongSupplier committedHeapBytes)
    {
        this(machineBytes, maxHeapBytes, committedHeapBytes, () -> Long.MAX_VALUE, System::nanoTime);
    }

    /**
     * @param availableBytes reads what the machine has available now, {@link Long#MAX_VALUE} if it cannot tell
     * @param nanoClock      {@link System#nanoTime}, or a test's clock
     */
    MachineMemory(final long machineBytes, final long maxHeapBytes, final LongSupplier committedHeapBytes,
        final LongSupplier availableBytes, final LongSupplier nanoClock)
    {
        this.machineBytes = machineBytes;
        this.maxHeapBytes = maxHeapBytes;
        this.committedHeapBytes = committedHeapBytes;
        this.availableBytes = availableBytes;
        this.nanoClock = nanoClock;
    }

    /** @return the memory of the machine this JVM runs on, shared by all its members */
    static MachineMemory thisJvm()
    {
        return THIS_JVM;
    }

    private static long totalMemory()
    {
        final OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        if (bean instanceof com.sun.management.OperatingSystemMXBean)
        {
            // container-aware since JDK 14: a cgroup's memory limit when there is one
            final long total = ((com.sun.management.OperatingSystemMXBean)bean).getTotalMemorySize();
            return total > 0 ? total : Long.MAX_VALUE;
        }
        return Long.MAX_VALUE;
    }

    /** @return the machine's memory in bytes, {@link Long#MAX_VALUE} if the JVM does not tell */
    long machineBytes()
    {
        return machineBytes;
    }

    /**
     * What the heap is counted as: its maximum, but at most half the machine, since a maximum set as high as the
     * machine (a launcher's fixed {@code -Xmx} on a small machine) is not one the heap is meant to fill and would
     * leave the stores nothing; and never less than what the heap holds now.
     *
     * @return the heap's share of the machine, in bytes
     */
    long heapShare()
    {
        return Math.max(committedHeapBytes.getAsLong(), Math.min(maxHeapBytes, machineBytes / 2));
    }

    /**
     * @param configured the configured reserve in bytes, or
     *                   {@link org.intentgrid.GridConfig#MACHINE_MEMORY_RESERVE_AUTO}
     * @return the reserve to keep free
     */
    long reserve(final long configured)
    {
        if (configured >= 0)
        {
            return configured;
        }
        return machineBytes == Long.MAX_VALUE ? 0 :
            Math.min(MAX_AUTO_RESERVE, Math.max(MIN_AUTO_RESERVE, machineBytes / 10));
    }

    /**
     * @param reserve bytes to leave free besides the heap
     * @return the most native memory the stores of this JVM may hold together now, {@link Long#MAX_VALUE} if the
     *         machine's memory is unknown; may be 0 or less when the heap and the reserve take it all
     */
    long limit(final long reserve)
    {
        return limit(reserve, heapShare());
    }

    /** @return {@link #limit(long)} for a heap share read already */
    long limit(final long reserve, final long heapShare)
    {
        return machineBytes == Long.MAX_VALUE ? Long.MAX_VALUE : machineBytes - heapShare - reserve;
    }

    /** @return native memory the stores of this JVM hold, in bytes */
    long used()
    {
        return used.get();
    }

    /**
     * Counts {@code size} more bytes if they fit under {@code limit}.
     *
     * @return false, counting nothing, if they do not
     */
    boolean tryTake(final long size, final long limit)
    {
        while (true)
        {
            final long before = used.get();
            if (!fits(before, size, limit))
            {
                return false;
            }
            if (used.compareAndSet(before, before + size))
            {
                return true;
            }
        }
    }

    /** @return whether {@code size} more bytes than {@code before} stay within {@code limit}, without overflow */
    static boolean fits(final long before, final long size, final long limit)
    {
        final long after = before + size;
        return after <= limit && after >= 0;
    }

    /**
     * @return what the machine has available now: the last reading (taken again if it is stale) less what the stores
     *         of this JVM took since, {@link Long#MAX_VALUE} if the machine does not tell
     */
    long available()
    {
        return available(0, Long.MIN_VALUE);
    }

    /**
     * @param pending   bytes the stores counted already ({@link #tryTake}) but have not allocated yet: no reading of
     *                  the machine can show them
     * @param readBelow a fresh reading is taken when the last one, less what the stores took since, is below this
     */
    private long available(final long pending, final long readBelow)
    {
        final long usedNow = used.get() - pending;
        Reading last = reading;
        if (last == null || isStale(last, usedNow, readBelow))
        {
            final long read = availableBytes.getAsLong();
            last = new Reading(read == Long.MAX_VALUE ? read : read - newestChunks.get(), usedNow,
                nanoClock.getAsLong());
            // threads that read at the same moment each keep theirs; any of them will do for the next check
            reading = last;
        }
        return last.estimate(usedNow);
    }

    private boolean isStale(final Reading last, final long usedNow, final long readBelow)
    {
        final long age = nanoClock.getAsLong() - last.nanos;
        final long takenSince = usedNow - last.usedThen;
        return Math.abs(takenSince) >= READ_EVERY_BYTES || age >= READ_EVERY_NANOS ||
            last.estimate(usedNow) < readBelow && (takenSince != 0 || age >= READ_NEAR_RESERVE_NANOS);
    }

    /**
     * @param counted whether {@link #tryTake} has counted the chunk already (an allocation), or not (a check before a
     *                call that may take it later)
     * @return whether the machine keeps {@code reserve} available after a chunk of {@code size} bytes; true if it does
     *         not tell what it has
     */
    boolean keepsReserveAfter(final long size, final long reserve, final boolean counted)
    {
        final long available = available(counted ? size : 0, reserve + size + READ_EVERY_BYTES);
        return available == Long.MAX_VALUE || available - size >= reserve;
    }

    /** Counts {@code size} more bytes whatever the limit: memory a copy must have (it must live somewhere). */
    void take(final long size)
    {
        used.addAndGet(size);
    }

    /**
     * @param delta the change of the bytes of the stores' newest chunks, which a reading of the machine may not show
     *              yet (a store took its first chunk, or freed its chunks)
     */
    void newestChunksChanged(final long delta)
    {
        newestChunks.addAndGet(delta);
    }

    /** Counts {@code size} bytes as freed. */
    void release(final long size)
    {
        used.addAndGet(-size);
    }
}
