package org.intentgrid.internal;

import org.agrona.UnsafeAccess;
import org.intentgrid.OffHeapExhaustedException;
import sun.misc.Unsafe;

import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.concurrent.locks.StampedLock;

/**
 * The slots of one lock stripe in native memory: a slot is {@link #HEADER_BYTES} of metadata (key, version,
 * relocation counter, state, local pushes since the last delta, quiet hot-lane rounds, deltas in flight, the number
 * of the key's {@link KeyNotes}, the local intent of a single worker) followed by the value, in fixed-size chunks that
 * never move and are freed only once the stripe is unreachable (so a lock-free reader can never touch freed memory).
 * <p>
 * A base class of {@link Stripe} rather than an object it holds, so that the lock state, the chunk table and the
 * index share one object: a lookup follows one reference less. Not thread-safe: the stripe's lock guards every
 * method, except the {@code ...At} readers used under an optimistic read.
 */
abstract class SlotMemory extends StampedLock
{
    static final int HEADER_BYTES = 48;
    /** Slot numbers fit in this many bits (the stripe's index keeps hash bits above them). */
    static final int SLOT_BITS = 24;
    /** Slots one stripe can hold. */
    static final int MAX_SLOTS = (1 << SLOT_BITS) - 2;
    private static final long serialVersionUID = 1L;
    private static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;
    private static final long FLOAT_BASE = UNSAFE.arrayBaseOffset(float[].class);
    private static final SlotState[] STATES = SlotState.values();
    private static final int STATE_MASK = 3;
    private static final byte FREE = (byte)SlotState.ABSENT.ordinal();
    private static final int KEY_AT = 0;
    private static final int VERSION_AT = 8;
    private static final int COUNTER_AT = 16;
    private static final int STATE_AT = 24;
    /** A replica's local pushes since its last delta was taken, saturating at {@link #MAX_PUSH_COUNT}. */
    private static final int PUSHES_AT = 25;
    /** Where {@link #pushesSinceDelta} stops counting. */
    static final int MAX_PUSH_COUNT = Byte.MAX_VALUE;
    /** Consecutive hot-lane rounds that found a replica without pushes ({@link HotLane}). */
    private static final int QUIET_AT = 26;
    /**
     * The peer this member last saw holding the key's main copy + 1, 0 for none: a replica's sync step routes by it
     * every round, and the stripe's map of hints, which holds them for keys without a slot, missed the cache.
     */
    private static final int HINT_AT = 27;
    /** Peers from this index on have no room in {@link #HINT_AT}: their hints are dropped while the key has a slot. */
    static final int MAX_SLOT_HINT_PEER = 254;
    private static final int DELTAS_AT = 28;
    /** The key's notes' number + 1 ({@link Stripe#notes}), 0 without notes. */
    private static final int NOTES_AT = 32;
    /** The one local worker that intends the key, {@link #NO_INTENT}, or {@link #SEVERAL_INTENTS}. */
    private static final int INTENT_WORKER_AT = 36;
    /** The end clock of that worker's intent. */
    private static final int INTENT_END_AT = 40;
    /** {@link #intentWorker}: no local worker intends the key. */
    static final int NO_INTENT = -1;
    /** {@link #intentWorker}: several local workers intend the key; their ends are in its {@link KeyNotes}. */
    static final int SEVERAL_INTENTS = -2;
    /**
     * From this length on, adding through {@link AddScratch} (vectorized, but two or three copies) beats an off-heap
     * loop (one load and store per float). Measured on the 2-core machine (JDK 17, AVX-512 copy stubs), ns per add:
     * 64 floats 20 in place against 25-31 through the scratch, 128 floats 33 against 29-37, 192 floats 47 against
     * 34-41 (the lower bound when the input starts at index 0 and needs no copy of its own).
     */
    private static final int SCRATCH_ADD_MIN_LENGTH = 128;
    /** From this length on, rebasing through {@link #scratch()} beats the off-heap loop. */
    private static final int SYNC_SCRATCH_MIN_LENGTH = 64;

    private transient long[] chunkAddress = new long[0];
    /** Made on first use by {@link #scratch()}: only stripes that hold replicas need one. */
    private transient float[] scratch;
    private final int valueBytes;
    private final int slotBytes;
    private final int chunkShift;
    private final int chunkMask;
    private final transient OffHeapMemory.Account memory;
    private final transient OffHeapMemory.Chunks chunks;
    private int highWater;
    private boolean detached;
    /** One bit per slot: the main copy changed since the last backup flush took it ({@link #takeDirty}). */
    private transient long[] dirtyWords = new long[0];
    private boolean anyDirty;

    SlotMemory(final int valueLength, final int slotsPerChunk, final OffHeapMemory.Account memory)
    {
        this.valueBytes = valueLength * Float.BYTES;
        this.slotBytes = slotBytes(valueLength);
        this.chunkShift = Integer.numberOfTrailingZeros(slotsPerChunk);
        this.chunkMask = slotsPerChunk - 1;
        this.memory = memory;
        this.chunks = memory.chunks(this);
    }

    /** @return bytes one slot takes: the header and a value of {@code valueLength} floats, rounded up to 8 */
    static int slotBytes(final int valueLength)
    {
        return (HEADER_BYTES + valueLength * Float.BYTES + 7) & ~7;
    }

    long slotAddress(final int slot)
    {
        return chunkAddress[slot >>> chunkShift] + (long)(slot & chunkMask) * slotBytes;
    }

    /** @return the address of the value in {@code slot} */
    long address(final int slot)
    {
        return slotAddress(slot) + HEADER_BYTES;
    }

    long key(final int slot)
    {
        return UNSAFE.getLong(slotAddress(slot) + KEY_AT);
    }

    long counter(final int slot)
    {
        return UNSAFE.getLong(slotAddress(slot) + COUNTER_AT);
    }

    void counter(final int slot, final long counter)
    {
        UNSAFE.putLong(slotAddress(slot) + COUNTER_AT, counter);
    }

    SlotState state(final int slot)
    {
        return STATES[UNSAFE.getByte(slotAddress(slot) + STATE_AT)];
    }

    long version(final int slot)
    {
        return UNSAFE.getLong(slotAddress(slot) + VERSION_AT);
    }

    void version(final int slot, final long version)
    {
        UNSAFE.putLong(slotAddress(slot) + VERSION_AT, version);
    }

    /** A main copy's value changed: counts a version and marks it for the next backup flush. */
    void bumpVersion(final int slot)
    {
        final long at = slotAddress(slot);
        UNSAFE.putLong(at + VERSION_AT, UNSAFE.getLong(at + VERSION_AT) + 1);
        markDirty(slot);
    }

    /** The main copy in {@code slot} must reach the backup at the next flush. */
    void markDirty(final int slot)
    {
        dirtyWords[slot >>> 6] |= 1L << slot;
        anyDirty = true;
    }

    /**
     * Hands the slots marked since the last call to {@code action} (and clears the marks); with {@code all}, every
     * slot in use instead (a new backup holder gets everything).
     */
    void takeDirty(final boolean all, final IntConsumer action)
    {
        if (all)
        {
            Arrays.fill(dirtyWords, 0L);
            anyDirty = false;
            for (int slot = 0; slot < highWater; slot++)
            {
                action.accept(slot);
            }
            return;
        }
        if (!anyDirty)
        {
            return;
        }
        anyDirty = false;
        final long[] words = dirtyWords;
        for (int w = 0; w < words.length; w++)
        {
            long bits = words[w];
            if (bits == 0)
            {
                continue;
            }
            words[w] = 0;
            while (bits != 0)
            {
                final int slot = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                action.accept(slot);
            }
        }
    }

    boolean updated(final int slot)
    {
        return pushesSinceDelta(slot) != 0;
    }

    /** @return local pushes to this replica since its last delta was taken, at most {@link #MAX_PUSH_COUNT} */
    int pushesSinceDelta(final int slot)
    {
        return UNSAFE.getByte(slotAddress(slot) + PUSHES_AT);
    }

    /** The replica's pending updates left in a delta: no push since. */
    void deltaTaken(final int slot)
    {
        UNSAFE.putByte(slotAddress(slot) + PUSHES_AT, (byte)0);
    }

    /** @return consecutive hot-lane rounds that found this replica without pushes */
    int quietHotRounds(final int slot)
    {
        return UNSAFE.getByte(slotAddress(slot) + QUIET_AT);
    }

    void quietHotRounds(final int slot, final int rounds)
    {
        UNSAFE.putByte(slotAddress(slot) + QUIET_AT, (byte)Math.min(rounds, Byte.MAX_VALUE));
    }

    /** @return deltas of this replica that left for the main copy and are not acknowledged yet */
    int deltasInFlight(final int slot)
    {
        return UNSAFE.getInt(slotAddress(slot) + DELTAS_AT);
    }

    void deltasInFlight(final int slot, final int count)
    {
        UNSAFE.putInt(slotAddress(slot) + DELTAS_AT, count);
    }

    /** @return the number + 1 of the key's notes in its stripe, or 0 if it has none */
    final int notesRef(final int slot)
    {
        return UNSAFE.getInt(slotAddress(slot) + NOTES_AT);
    }

    final void notesRef(final int slot, final int ref)
    {
        UNSAFE.putInt(slotAddress(slot) + NOTES_AT, ref);
    }

    /**
     * @return the index of the one local worker that intends the key in {@code slot}, {@link #NO_INTENT} or
     *         {@link #SEVERAL_INTENTS}: with one worker per member (the common case) a sync step learns whether the
     *         key is still intended from the slot header alone
     */
    final int intentWorker(final int slot)
    {
        return UNSAFE.getInt(slotAddress(slot) + INTENT_WORKER_AT);
    }

    /** @return the end clock of the intent of {@link #intentWorker} */
    final long intentEnd(final int slot)
    {
        return UNSAFE.getLong(slotAddress(slot) + INTENT_END_AT);
    }

    final void intent(final int slot, final int worker, final long end)
    {
        final long at = slotAddress(slot);
        UNSAFE.putInt(at + INTENT_WORKER_AT, worker);
        UNSAFE.putLong(at + INTENT_END_AT, end);
    }

    void copyOut(final int slot, final float[] dst, final int dstOffset)
    {
        UNSAFE.copyMemory(null, address(slot), dst, FLOAT_BASE + (long)dstOffset * Float.BYTES, valueBytes);
    }

    void copyIn(final int slot, final float[] src, final int srcOffset)
    {
        UNSAFE.copyMemory(src, FLOAT_BASE + (long)srcOffset * Float.BYTES, null, address(slot), valueBytes);
    }

    /**
     * Applies a local push to a usable copy: the main copy counts a new version, a replica counts the push (it
     * has a delta to ship, and how many pushes it holds tells the sync rounds how hot the key is here).
     *
     * @return the kind of copy the push went to, {@link SlotState#MAIN} or {@link SlotState#REPLICA}
     */
    SlotState push(final int slot, final float[] src, final int srcOffset, final AddScratch scratch)
    {
        final long at = slotAddress(slot);
        add(at + HEADER_BYTES, src, srcOffset, scratch);
        if (UNSAFE.getByte(at + STATE_AT) == SlotState.MAIN.ordinal())
        {
            UNSAFE.putLong(at + VERSION_AT, UNSAFE.getLong(at + VERSION_AT) + 1);
            markDirty(slot);
            return SlotState.MAIN;
        }
        final byte pushes = UNSAFE.getByte(at + PUSHES_AT);
        if (pushes != MAX_PUSH_COUNT)
        {
            UNSAFE.putByte(at + PUSHES_AT, (byte)(pushes + 1));
        }
        return SlotState.REPLICA;
    }

    /** Adds {@code src[srcOffset ..]} to the value in {@code slot}, through {@code scratch} for long values. */
    void add(final int slot, final float[] src, final int srcOffset, final AddScratch scratch)
    {
        add(address(slot), src, srcOffset, scratch);
    }

    private void add(final long base, final float[] src, final int srcOffset, final AddScratch scratch)
    {
        final int length = valueBytes >> 2;
        if (length >= SCRATCH_ADD_MIN_LENGTH)
        {
            final float[] current = scratch.current;
            UNSAFE.copyMemory(null, base, current, FLOAT_BASE, valueBytes);
            final float[] addend;
            if (srcOffset == 0)
            {
                addend = src;
            }
            else
            {
                addend = scratch.input;
                System.arraycopy(src, srcOffset, addend, 0, length);
            }
            for (int i = 0; i < length; i++)
            {
                current[i] += addend[i];
            }
            UNSAFE.copyMemory(current, FLOAT_BASE, null, base, valueBytes);
            return;
        }
        for (int i = 0; i < length; i++)
        {
            final long addr = base + ((long)i << 2);
            UNSAFE.putFloat(addr, UNSAFE.getFloat(addr) + src[srcOffset + i]);
        }
    }

    /**
     * Sets every element of the value in {@code slot} to 0, with plain stores: on JDK 17 {@code Unsafe.setMemory} is
     * a native call, not an intrinsic, and its transition costs more than the stores (a table of zeros is created a
     * value at a time).
     */
    void zero(final int slot)
    {
        final long base = address(slot);
        final int words = valueBytes >>> 3;
        for (int i = 0; i < words; i++)
        {
            UNSAFE.putLong(base + ((long)i << 3), 0L);
        }
        if ((valueBytes & Integer.BYTES) != 0)
        {
            UNSAFE.putInt(base + valueBytes - Integer.BYTES, 0);
        }
    }

    /*
     * The three whole-value loops below run per replica per sync round; each computes the value's address once
     * (an element-wise getFloat/putFloat looks up the slot's chunk per float, a tenth of the sync thread's time).
     * From SYNC_SCRATCH_MIN_LENGTH floats on, rebaseValue copies the value into the stripe's scratch array and
     * computes there, in same-index loops over arrays that C2 vectorizes (see AddScratch); the delta's loop did not
     * get faster that way (it waits on memory, not on arithmetic).
     */

    /**
     * Rebases a replica on a newer main copy: value = {@code main[offset ..]} + (value - {@code synced}), keeping
     * the local updates not yet reflected in {@code main}; then {@code synced} = {@code main[offset ..]}.
     */
    final void rebaseValue(final int slot, final float[] main, final int offset, final float[] synced)
    {
        final long at = address(slot);
        final int length = valueBytes >> 2;
        if (length < SYNC_SCRATCH_MIN_LENGTH)
        {
            for (int i = 0; i < length; i++)
            {
                final long addr = at + ((long)i << 2);
                UNSAFE.putFloat(addr, main[offset + i] + (UNSAFE.getFloat(addr) - synced[i]));
            }
            System.arraycopy(main, offset, synced, 0, length);
            return;
        }
        final float[] local = scratch();
        UNSAFE.copyMemory(null, at, local, FLOAT_BASE, valueBytes);
        for (int i = 0; i < length; i++)
        {
            local[i] -= synced[i];
        }
        System.arraycopy(main, offset, synced, 0, length);
        for (int i = 0; i < length; i++)
        {
            local[i] += synced[i];
        }
        UNSAFE.copyMemory(local, FLOAT_BASE, null, at, valueBytes);
    }

    /** Writes value - {@code synced} (the updates since the last sync) into {@code delta}, then value into synced. */
    final void takeDelta(final int slot, final float[] synced, final float[] delta)
    {
        final long at = address(slot);
        final int length = valueBytes >> 2;
        for (int i = 0; i < length; i++)
        {
            final float value = UNSAFE.getFloat(at + ((long)i << 2));
            delta[i] = value - synced[i];
            synced[i] = value;
        }
    }

    /** @return a value-sized array for the caller's arithmetic, owned by whoever holds the stripe's lock */
    private float[] scratch()
    {
        if (scratch == null)
        {
            scratch = new float[valueBytes >> 2];
        }
        return scratch;
    }

    /** Adds {@code update[offset ..]} to the value and to {@code synced}: an update the main copy already has. */
    final void addSynced(final int slot, final float[] update, final int offset, final float[] synced)
    {
        final long at = address(slot);
        final int length = valueBytes >> 2;
        for (int i = 0; i < length; i++)
        {
            final long addr = at + ((long)i << 2);
            UNSAFE.putFloat(addr, UNSAFE.getFloat(addr) + update[offset + i]);
            synced[i] += update[offset + i];
        }
    }

    void putFloat(final int slot, final int index, final float value)
    {
        UNSAFE.putFloat(address(slot) + ((long)index << 2), value);
    }

    void state(final int slot, final SlotState state)
    {
        UNSAFE.putByte(slotAddress(slot) + STATE_AT, (byte)state.ordinal());
    }

    /** @return the chunk addresses as they are now, for a lock-free reader (see {@link #slotAddressIn}) */
    final long[] chunkAddresses()
    {
        return chunkAddress;
    }

    /**
     * @return the address of {@code slot} in a possibly outdated chunk table read without the lock, or 0 if the
     *         slot number (read from an index in the middle of an update) lies outside it
     */
    final long slotAddressIn(final long[] addresses, final int slot)
    {
        final int chunk = slot >>> chunkShift;
        if (slot < 0 || chunk >= addresses.length || addresses[chunk] == 0)
        {
            return 0;
        }
        return addresses[chunk] + (long)(slot & chunkMask) * slotBytes;
    }

    static long keyAt(final long slotAddress)
    {
        return UNSAFE.getLong(slotAddress + KEY_AT);
    }

    static SlotState stateAt(final long slotAddress)
    {
        return STATES[UNSAFE.getByte(slotAddress + STATE_AT) & STATE_MASK];
    }

    /** Copies the value of the slot at {@code slotAddress} into {@code dst}. */
    final void copyValueOut(final long slotAddress, final float[] dst, final int dstOffset)
    {
        UNSAFE.copyMemory(null, slotAddress + HEADER_BYTES, dst, FLOAT_BASE + (long)dstOffset * Float.BYTES,
            valueBytes);
    }

    /**
     * Writes the header of {@code slot} as far as it describes the copy: no pending update, no delta in flight. The
     * key's notes and intents stay ({@link #clearNotes}).
     */
    final void writeHeader(final int slot, final long key, final SlotState state, final long counter,
        final long version)
    {
        final long at = slotAddress(slot);
        UNSAFE.putLong(at + KEY_AT, key);
        UNSAFE.putLong(at + VERSION_AT, version);
        UNSAFE.putLong(at + COUNTER_AT, counter);
        UNSAFE.putByte(at + PUSHES_AT, (byte)0);
        UNSAFE.putByte(at + QUIET_AT, (byte)0);
        UNSAFE.putByte(at + HINT_AT, (byte)0);
        UNSAFE.putInt(at + DELTAS_AT, 0);
        UNSAFE.putByte(at + STATE_AT, (byte)state.ordinal());
    }

    /** @return the peer last seen holding the main copy of the key in {@code slot}, or {@code -1} */
    final int hintOf(final int slot)
    {
        return (UNSAFE.getByte(slotAddress(slot) + HINT_AT) & 0xFF) - 1;
    }

    /** Records where the key in {@code slot} was last seen held ({@code -1}, or a peer past the byte's room: none). */
    final void hintOf(final int slot, final int peer)
    {
        UNSAFE.putByte(slotAddress(slot) + HINT_AT, (byte)(peer >= 0 && peer <= MAX_SLOT_HINT_PEER ? peer + 1 : 0));
    }

    /** Writes a new slot's notes part of the header: no notes, no intent. */
    final void clearNotes(final int slot)
    {
        final long at = slotAddress(slot);
        UNSAFE.putInt(at + NOTES_AT, 0);
        UNSAFE.putInt(at + INTENT_WORKER_AT, NO_INTENT);
        UNSAFE.putLong(at + INTENT_END_AT, -1);
    }

    /** Marks {@code slot} unused (its number goes back to the caller's free list). */
    final void free(final int slot)
    {
        UNSAFE.putByte(slotAddress(slot) + STATE_AT, FREE);
    }

    /** @return slots ever handed out: every slot below is in use or free */
    final int highWater()
    {
        return highWater;
    }

    /**
     * @return a slot never used before, in a new chunk if need be
     * @throws OffHeapExhaustedException if a new chunk is needed and the member has no room for it
     */
    final int nextFreshSlot(final boolean withinCap)
    {
        if (detached)
        {
            throw new IllegalStateException("the table was dropped; its store takes no more keys");
        }
        if (highWater == MAX_SLOTS)
        {
            throw new IllegalStateException("a lock stripe cannot hold more than " + MAX_SLOTS + " keys");
        }
        final int slot = highWater;
        final int chunk = slot >>> chunkShift;
        if (chunk == chunkAddress.length)
        {
            final long bytes = chunkBytes();
            // not zeroed: every slot below highWater is written by create before anything reads it
            final long address = memory.allocate(chunks, bytes, withinCap);
            final long[] addresses = Arrays.copyOf(chunkAddress, chunk + 1);
            addresses[chunk] = address;
            chunkAddress = addresses;
            dirtyWords = Arrays.copyOf(dirtyWords, (int)(((long)(chunk + 1) << chunkShift) + 63 >>> 6));
        }
        highWater++;
        return slot;
    }

    /**
     * @return native bytes of the new chunks that {@code count} more slots never used before would need (0 while the
     *         chunks allocated already have room for them)
     */
    final long chunkBytesForFresh(final int count)
    {
        final long left = ((long)chunkAddress.length << chunkShift) - highWater;
        if (count <= left)
        {
            return 0;
        }
        return ((count - left + chunkMask) >>> chunkShift) * chunkBytes();
    }

    private long chunkBytes()
    {
        return (long)(chunkMask + 1) * slotBytes;
    }

    /**
     * Forgets every slot and hands over the chunks, which the caller frees once no lock-free reader can still be
     * reading them (a reader may hold the old chunk table for the few instructions of its optimistic read).
     * Afterwards the stripe takes no new slot.
     *
     * @return the chunks this stripe held
     */
    final OffHeapMemory.Chunks detachChunks()
    {
        detached = true;
        chunkAddress = new long[0];
        dirtyWords = new long[0];
        anyDirty = false;
        highWater = 0;
        return chunks;
    }
}
