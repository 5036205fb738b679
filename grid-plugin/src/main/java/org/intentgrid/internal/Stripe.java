package org.intentgrid.internal;

import org.intentgrid.OffHeapExhaustedException;
import org.agrona.UnsafeAccess;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.intentgrid.Hashing;
import sun.misc.Unsafe;

import java.util.Arrays;
import java.util.concurrent.locks.StampedLock;

/**
 * One lock stripe of a {@link TableStore}: the local copies of the keys that hash here — main copies,
 * replicas and placeholders — with their values and per-slot metadata off-heap.
 * <p>
 * Every method except {@link #copyOutOptimistic} must be called while holding the stripe's write lock
 * ({@link #lock()}); the class does no locking itself so that a caller can run a whole per-key step (look
 * up, copy, update metadata) under one lock. The stripe is its own {@link StampedLock}, so that taking the lock
 * touches no other object.
 * <p>
 * Layout: a slot is {@code HEADER_BYTES} of metadata (key, version, relocation counter, state, pending-update
 * flag, deltas in flight) followed by the value, in fixed-size chunks of native memory that never move and are
 * freed only when the stripe is unreachable (so a lock-free reader can never touch freed memory). The index is
 * an open-addressing table of slot numbers in an {@code int[]} (linear probing, backward-shift deletion) whose
 * keys are compared in the slot headers: a lookup touches the index and the slot it lands on, which holds the
 * value too, and a key costs about 10 bytes of heap.
 * <p>
 * Pulls read without locking (an optimistic read, validated afterwards): the reads of the index may then see
 * it in the middle of an update, so every slot derived from them is bounds-checked before memory is touched,
 * probes are bounded, and the caller discards the result unless validation succeeds.
 */
final class Stripe extends StampedLock
{
    static final long MISSING = -1L;
    private static final long serialVersionUID = 1L;
    private static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;
    private static final long FLOAT_BASE = UNSAFE.arrayBaseOffset(float[].class);
    private static final SlotState[] STATES = SlotState.values();
    private static final byte FREE = (byte)SlotState.ABSENT.ordinal();
    private static final int KEY_AT = 0;
    private static final int VERSION_AT = 8;
    private static final int COUNTER_AT = 16;
    private static final int STATE_AT = 24;
    private static final int UPDATED_AT = 25;
    private static final int DELTAS_AT = 28;
    static final int HEADER_BYTES = 32;
    private static final int MIN_INDEX = 8;
    private static final int SLOT_BITS = 24;
    private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
    /** Slots a stripe can number in an index entry. */
    static final int MAX_SLOTS = SLOT_MASK - 1;
    /** From this length on, adding through {@link AddScratch} (vectorized) beats an off-heap loop. */
    private static final int SCRATCH_ADD_MIN_LENGTH = 32;

    private transient int[] index = new int[MIN_INDEX];
    private transient long[] chunkAddress = new long[0];
    private final int valueBytes;
    private final int slotBytes;
    private final int chunkShift;
    private final int chunkMask;
    private final transient OffHeapMemory.Account memory;
    private final transient OffHeapMemory.Chunks chunks;
    private final transient Long2LongHashMap hintOfKey = new Long2LongHashMap(MISSING);
    private final transient Long2ObjectHashMap<float[]> syncStateOfKey = new Long2ObjectHashMap<>();
    private final transient Long2ObjectHashMap<long[]> intentEndsOfKey = new Long2ObjectHashMap<>();
    private final transient Long2LongHashMap minVersionOfKey = new Long2LongHashMap(MISSING);
    private final transient Long2ObjectHashMap<ArrivalWaiters> arrivalsOfKey = new Long2ObjectHashMap<>();
    private int indexed;
    private int mainCount;
    private int replicaCount;
    private int highWater;
    private transient int[] freeSlots = new int[8];
    private int freeCount;

    /** A stripe whose chunks are not counted against any budget (tests). */
    Stripe(final int valueLength, final int slotsPerChunk)
    {
        this(valueLength, slotsPerChunk, OffHeapMemory.unlimited().account("test"));
    }

    Stripe(final int valueLength, final int slotsPerChunk, final OffHeapMemory.Account memory)
    {
        this.valueBytes = valueLength * Float.BYTES;
        this.slotBytes = (HEADER_BYTES + valueBytes + 7) & ~7;
        this.chunkShift = Integer.numberOfTrailingZeros(slotsPerChunk);
        this.chunkMask = slotsPerChunk - 1;
        this.memory = memory;
        this.chunks = memory.chunks(this);
    }

    long lock()
    {
        return writeLock();
    }

    /** Releases the write lock taken by {@link #lock()} (a stripe is never read-locked). */
    @Override
    public void unlock(final long stamp)
    {
        unlockWrite(stamp);
    }

    /** @return bytes of native memory this stripe holds (slot chunks) */
    long offHeapBytes()
    {
        return (long)chunkAddress.length * (chunkMask + 1) * slotBytes;
    }

    /** Where the key's probe run starts: bits the stripe choice (the low bits) does not use. */
    private static int indexHash(final long key)
    {
        return (int)(Hashing.mix64(key) >>> 32);
    }

    private static int indexHashOf(final long hash)
    {
        return (int)(hash >>> 32);
    }

    /**
     * An index entry: the slot number + 1 (0 is an empty entry) in the low {@link #SLOT_BITS} bits and 8 more bits
     * of the key's hash above them, so that a probe past another key's entry rarely has to read that key's slot.
     */
    private static int entry(final long key, final int slot)
    {
        return tag(key) | (slot + 1);
    }

    private static int tag(final long key)
    {
        return tagOf(Hashing.mix64(key));
    }

    private static int tagOf(final long hash)
    {
        return (int)(hash >>> 16 & 0xFF) << SLOT_BITS;
    }

    private static int slotOfEntry(final int entry)
    {
        return (entry & SLOT_MASK) - 1;
    }

    /**
     * Copies the value of {@code key} without taking the lock.
     *
     * @return {@link SlotState#MAIN} or {@link SlotState#REPLICA} for the copy read, {@link SlotState#ABSENT} if no
     *         usable copy is held here, or null if a concurrent writer interfered (take the lock)
     */
    SlotState copyOutOptimistic(final long key, final float[] dst, final int dstOffset)
    {
        final long stamp = tryOptimisticRead();
        if (stamp == 0)
        {
            return null;
        }
        final int[] idx = index;
        final long[] addresses = chunkAddress;
        final int mask = idx.length - 1;
        final long hash = Hashing.mix64(key);
        final int tag = tagOf(hash);
        int i = indexHashOf(hash) & mask;
        for (int probes = 0; probes <= mask; probes++)
        {
            final int entry = idx[i];
            if (entry == 0)
            {
                return validate(stamp) ? SlotState.ABSENT : null;
            }
            i = (i + 1) & mask;
            if ((entry & ~SLOT_MASK) != tag)
            {
                continue;
            }
            final int slot = slotOfEntry(entry);
            final int chunk = slot >>> chunkShift;
            if (chunk >= addresses.length || addresses[chunk] == 0)
            {
                return null;
            }
            final long at = addresses[chunk] + (long)(slot & chunkMask) * slotBytes;
            if (UNSAFE.getLong(at + KEY_AT) == key)
            {
                final byte state = UNSAFE.getByte(at + STATE_AT);
                if (state != SlotState.MAIN.ordinal() && state != SlotState.REPLICA.ordinal())
                {
                    return validate(stamp) ? SlotState.ABSENT : null;
                }
                UNSAFE.copyMemory(null, at + HEADER_BYTES, dst, FLOAT_BASE + (long)dstOffset * Float.BYTES,
                    valueBytes);
                return validate(stamp) ? STATES[state] : null;
            }
        }
        return null;
    }

    /** @return the slot of the local copy of {@code key} (any state), or {@code -1} */
    int slotOf(final long key)
    {
        final int[] idx = index;
        final int mask = idx.length - 1;
        final long hash = Hashing.mix64(key);
        final int tag = tagOf(hash);
        int i = indexHashOf(hash) & mask;
        while (true)
        {
            final int entry = idx[i];
            if (entry == 0)
            {
                return -1;
            }
            if ((entry & ~SLOT_MASK) == tag && UNSAFE.getLong(slotAddress(slotOfEntry(entry)) + KEY_AT) == key)
            {
                return slotOfEntry(entry);
            }
            i = (i + 1) & mask;
        }
    }

    /** @return the slot of the main copy of {@code key} held here, or {@code -1} */
    int mainSlotOf(final long key)
    {
        final int slot = slotOf(key);
        return slot >= 0 && state(slot) == SlotState.MAIN ? slot : -1;
    }

    /** @return the slot of a usable copy (main or replica) of {@code key}, or {@code -1} */
    int usableSlotOf(final long key)
    {
        final int slot = slotOf(key);
        return slot >= 0 && state(slot) != SlotState.PLACEHOLDER ? slot : -1;
    }

    private long slotAddress(final int slot)
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

    boolean updated(final int slot)
    {
        return UNSAFE.getByte(slotAddress(slot) + UPDATED_AT) != 0;
    }

    void updated(final int slot, final boolean updated)
    {
        UNSAFE.putByte(slotAddress(slot) + UPDATED_AT, updated ? (byte)1 : 0);
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

    /** @return number of main copies held here */
    int mainCount()
    {
        return mainCount;
    }

    /** @return number of replicas and placeholders held here */
    int replicaCount()
    {
        return replicaCount;
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
     * Applies a local push to a usable copy: the main copy counts a new version, a replica remembers that
     * it has a delta to ship.
     */
    void push(final int slot, final float[] src, final int srcOffset, final AddScratch scratch)
    {
        final long at = slotAddress(slot);
        add(at + HEADER_BYTES, src, srcOffset, scratch);
        if (UNSAFE.getByte(at + STATE_AT) == SlotState.MAIN.ordinal())
        {
            UNSAFE.putLong(at + VERSION_AT, UNSAFE.getLong(at + VERSION_AT) + 1);
        }
        else
        {
            UNSAFE.putByte(at + UPDATED_AT, (byte)1);
        }
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
            final float[] input = scratch.input;
            System.arraycopy(src, srcOffset, input, 0, length);
            UNSAFE.copyMemory(null, base, current, FLOAT_BASE, valueBytes);
            for (int i = 0; i < length; i++)
            {
                current[i] += input[i];
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

    /** Sets every element of the value in {@code slot} to 0. */
    void zero(final int slot)
    {
        UNSAFE.setMemory(address(slot), valueBytes, (byte)0);
    }

    float getFloat(final int slot, final int index)
    {
        return UNSAFE.getFloat(address(slot) + ((long)index << 2));
    }

    void putFloat(final int slot, final int index, final float value)
    {
        UNSAFE.putFloat(address(slot) + ((long)index << 2), value);
    }

    /**
     * Creates a local copy of {@code key}; its value is left for the caller to fill.
     *
     * @return the new slot
     * @throws OffHeapExhaustedException if the slot needs a new chunk and the member's budget has no room
     */
    int create(final long key, final SlotState state, final long counter, final long version)
    {
        return create(key, state, counter, version, true);
    }

    /**
     * As {@link #create(long, SlotState, long, long)}; {@code withinCap} false takes memory beyond the member's cap
     * (a main copy moving in must live somewhere).
     */
    int create(final long key, final SlotState state, final long counter, final long version, final boolean withinCap)
    {
        final int slot = freeCount > 0 ? freeSlots[--freeCount] : nextFreshSlot(withinCap);
        final long at = slotAddress(slot);
        UNSAFE.putLong(at + KEY_AT, key);
        UNSAFE.putLong(at + VERSION_AT, version);
        UNSAFE.putLong(at + COUNTER_AT, counter);
        UNSAFE.putByte(at + UPDATED_AT, (byte)0);
        UNSAFE.putInt(at + DELTAS_AT, 0);
        UNSAFE.putByte(at + STATE_AT, (byte)state.ordinal());
        insert(key, slot);
        if (state == SlotState.MAIN)
        {
            hintOfKey.remove(key);
            mainCount++;
        }
        else
        {
            replicaCount++;
        }
        return slot;
    }

    /** Turns a replica or placeholder into the main copy (relocation to this member). */
    void promote(final int slot, final long counter, final long version)
    {
        final long at = slotAddress(slot);
        final long key = UNSAFE.getLong(at + KEY_AT);
        UNSAFE.putByte(at + STATE_AT, (byte)SlotState.MAIN.ordinal());
        UNSAFE.putLong(at + COUNTER_AT, counter);
        UNSAFE.putLong(at + VERSION_AT, version);
        UNSAFE.putByte(at + UPDATED_AT, (byte)0);
        UNSAFE.putInt(at + DELTAS_AT, 0);
        syncStateOfKey.remove(key);
        minVersionOfKey.remove(key);
        hintOfKey.remove(key);
        replicaCount--;
        mainCount++;
    }

    void state(final int slot, final SlotState state)
    {
        UNSAFE.putByte(slotAddress(slot) + STATE_AT, (byte)state.ordinal());
    }

    /** @return the newest main-copy version this member saw for the key through remote operations, or -1 */
    long minVersion(final long key)
    {
        return minVersionOfKey.get(key);
    }

    void minVersion(final long key, final long version)
    {
        if (version < 0)
        {
            minVersionOfKey.remove(key);
        }
        else
        {
            minVersionOfKey.put(key, version);
        }
    }

    /** Turns the main copy into a placeholder: it was relocated away while local workers still intend it. */
    void demote(final int slot, final int forwardedToPeer)
    {
        final long at = slotAddress(slot);
        final long key = UNSAFE.getLong(at + KEY_AT);
        UNSAFE.putByte(at + STATE_AT, (byte)SlotState.PLACEHOLDER.ordinal());
        UNSAFE.putLong(at + VERSION_AT, -1);
        UNSAFE.putByte(at + UPDATED_AT, (byte)0);
        UNSAFE.putInt(at + DELTAS_AT, 0);
        syncStateOfKey.remove(key);
        mainCount--;
        replicaCount++;
        if (forwardedToPeer >= 0)
        {
            hintOfKey.put(key, forwardedToPeer);
        }
    }

    /** Removes the local copy held in {@code slot} and remembers where the main copy is. */
    void remove(final int slot, final int forwardedToPeer)
    {
        final long at = slotAddress(slot);
        final long key = UNSAFE.getLong(at + KEY_AT);
        unindex(key);
        syncStateOfKey.remove(key);
        minVersionOfKey.remove(key);
        if (UNSAFE.getByte(at + STATE_AT) == SlotState.MAIN.ordinal())
        {
            mainCount--;
        }
        else
        {
            replicaCount--;
        }
        UNSAFE.putByte(at + STATE_AT, FREE);
        if (forwardedToPeer >= 0)
        {
            hintOfKey.put(key, forwardedToPeer);
        }
        if (freeCount == freeSlots.length)
        {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = slot;
    }

    /** @return who waits for {@code key} to arrive (refresh in flight), or null if no refresh is in flight */
    ArrivalWaiters arrivals(final long key)
    {
        return arrivalsOfKey.get(key);
    }

    /** Records the waiters of an in-flight refresh of {@code key}; null when the refresh was answered. */
    void arrivals(final long key, final ArrivalWaiters waiters)
    {
        if (waiters == null)
        {
            arrivalsOfKey.remove(key);
        }
        else
        {
            arrivalsOfKey.put(key, waiters);
        }
    }

    /** @return the value of a replica as of its last sync, or null (placeholder, or not a replica) */
    float[] syncState(final long key)
    {
        return syncStateOfKey.get(key);
    }

    void syncState(final long key, final float[] values)
    {
        syncStateOfKey.put(key, values);
    }

    /** @return end clocks of local intents per worker index for {@code key}, or null */
    long[] intentEnds(final long key)
    {
        return intentEndsOfKey.get(key);
    }

    void intentEnds(final long key, final long[] ends)
    {
        if (ends == null)
        {
            intentEndsOfKey.remove(key);
        }
        else
        {
            intentEndsOfKey.put(key, ends);
        }
    }

    /** @return the peer this member last saw holding {@code key}, or {@code -1} */
    int hint(final long key)
    {
        return (int)hintOfKey.get(key);
    }

    void setHint(final long key, final int peer)
    {
        if (peer < 0)
        {
            hintOfKey.remove(key);
        }
        else
        {
            hintOfKey.put(key, peer);
        }
    }

    /** Copies the keys of all main copies held here into {@code out} starting at {@code offset}. */
    int collectMainKeys(final long[] out, final int offset)
    {
        int n = offset;
        for (int slot = 0; slot < highWater; slot++)
        {
            final long at = slotAddress(slot);
            if (UNSAFE.getByte(at + STATE_AT) == SlotState.MAIN.ordinal())
            {
                out[n++] = UNSAFE.getLong(at + KEY_AT);
            }
        }
        return n;
    }

    private void insert(final long key, final int slot)
    {
        if ((indexed + 1) * 3L > index.length * 2L)
        {
            grow();
        }
        final int[] idx = index;
        final int mask = idx.length - 1;
        int i = indexHash(key) & mask;
        while (idx[i] != 0)
        {
            i = (i + 1) & mask;
        }
        idx[i] = entry(key, slot);
        indexed++;
    }

    /** Replaces the index by one of twice the size, filled before it is published to lock-free readers. */
    private void grow()
    {
        final int[] old = index;
        final int[] grown = new int[old.length * 2];
        final int mask = grown.length - 1;
        for (final int entry : old)
        {
            if (entry != 0)
            {
                int i = indexHash(UNSAFE.getLong(slotAddress(slotOfEntry(entry)) + KEY_AT)) & mask;
                while (grown[i] != 0)
                {
                    i = (i + 1) & mask;
                }
                grown[i] = entry;
            }
        }
        index = grown;
    }

    /** Backward-shift deletion: later entries of the probe run move up, so no tombstones accumulate. */
    private void unindex(final long key)
    {
        final int[] idx = index;
        final int mask = idx.length - 1;
        final int tag = tag(key);
        int hole = indexHash(key) & mask;
        while ((idx[hole] & ~SLOT_MASK) != tag || UNSAFE.getLong(slotAddress(slotOfEntry(idx[hole])) + KEY_AT) != key)
        {
            hole = (hole + 1) & mask;
        }
        int i = hole;
        while (true)
        {
            i = (i + 1) & mask;
            final int entry = idx[i];
            if (entry == 0)
            {
                break;
            }
            final int home = indexHash(UNSAFE.getLong(slotAddress(slotOfEntry(entry)) + KEY_AT)) & mask;
            final boolean movable = hole <= i ? home <= hole || home > i : home <= hole && home > i;
            if (movable)
            {
                idx[hole] = entry;
                hole = i;
            }
        }
        idx[hole] = 0;
        indexed--;
    }

    private int nextFreshSlot(final boolean withinCap)
    {
        if (highWater == MAX_SLOTS)
        {
            throw new IllegalStateException("a lock stripe cannot hold more than " + MAX_SLOTS + " keys");
        }
        final int slot = highWater;
        final int chunk = slot >>> chunkShift;
        if (chunk == chunkAddress.length)
        {
            final long bytes = (long)(chunkMask + 1) * slotBytes;
            // not zeroed: every slot below highWater is written by create before anything reads it
            final long address = memory.allocate(chunks, bytes, withinCap);
            final long[] addresses = Arrays.copyOf(chunkAddress, chunk + 1);
            addresses[chunk] = address;
            chunkAddress = addresses;
        }
        highWater++;
        return slot;
    }
}
