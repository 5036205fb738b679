package org.intentgrid.internal;

import org.agrona.BufferUtil;
import org.agrona.UnsafeAccess;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import sun.misc.Unsafe;

import java.util.Arrays;
import java.util.concurrent.locks.StampedLock;

/**
 * One lock stripe of a {@link TableStore}: the local copies of the keys that hash here — main copies,
 * replicas and placeholders — with their off-heap values and metadata.
 * <p>
 * Every method except {@link #copyOutOptimistic} must be called while holding the stripe's write lock
 * ({@link #lock()}); the class does no locking itself so that a caller can run a whole per-key step (look
 * up, copy, update metadata) under one lock. Values live in fixed-size off-heap chunks that are never
 * moved or freed while the stripe lives; a slot is an index into them.
 * <p>
 * Pulls read without locking (a {@link StampedLock} optimistic read, validated afterwards): the reads of
 * the index may then see a map in the middle of an update, so every address derived from them is bounds-
 * checked before memory is touched, and the caller discards the result unless validation succeeds.
 */
final class Stripe
{
    static final long MISSING = -1L;
    private static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;
    private static final long FLOAT_BASE = UNSAFE.arrayBaseOffset(float[].class);
    private static final int CACHE_LINE = 64;
    /** From this length on, adding through {@link AddScratch} (vectorized) beats an off-heap loop. */
    private static final int SCRATCH_ADD_MIN_LENGTH = 32;

    private final StampedLock lock = new StampedLock();
    private final Long2LongHashMap slotOfKey = new Long2LongHashMap(MISSING);
    private final Long2LongHashMap hintOfKey = new Long2LongHashMap(MISSING);
    private final Long2ObjectHashMap<float[]> syncStateOfKey = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<long[]> intentEndsOfKey = new Long2ObjectHashMap<>();
    private final Long2LongHashMap minVersionOfKey = new Long2LongHashMap(MISSING);
    private final Long2ObjectHashMap<ArrivalWaiters> arrivalsOfKey = new Long2ObjectHashMap<>();
    private final int valueBytes;
    private final int chunkShift;
    private final int chunkMask;
    private UnsafeBuffer[] chunks = new UnsafeBuffer[0];
    private long[] chunkAddress = new long[0];
    private long[] keyOfSlot = new long[0];
    private long[] counterOfSlot = new long[0];
    private long[] versionOfSlot = new long[0];
    private SlotState[] stateOfSlot = new SlotState[0];
    private boolean[] updatedOfSlot = new boolean[0];
    private int[] deltasInFlightOfSlot = new int[0];
    private int mainCount;
    private int replicaCount;
    private int highWater;
    private int[] freeSlots = new int[8];
    private int freeCount;

    Stripe(final int valueLength, final int slotsPerChunk)
    {
        this.valueBytes = valueLength * Float.BYTES;
        this.chunkShift = Integer.numberOfTrailingZeros(slotsPerChunk);
        this.chunkMask = slotsPerChunk - 1;
    }

    long lock()
    {
        return lock.writeLock();
    }

    void unlock(final long stamp)
    {
        lock.unlockWrite(stamp);
    }

    /**
     * Copies the value of {@code key} without taking the lock.
     *
     * @return {@link SlotState#MAIN} or {@link SlotState#REPLICA} for the copy read, {@link SlotState#ABSENT} if no
     *         usable copy is held here, or null if a concurrent writer interfered (take the lock)
     */
    SlotState copyOutOptimistic(final long key, final float[] dst, final int dstOffset)
    {
        final long stamp = lock.tryOptimisticRead();
        if (stamp == 0)
        {
            return null;
        }
        final int slot = (int)slotOfKey.get(key);
        if (slot < 0)
        {
            return lock.validate(stamp) ? SlotState.ABSENT : null;
        }
        final long[] addresses = chunkAddress;
        final SlotState[] states = stateOfSlot;
        final int chunk = slot >>> chunkShift;
        if (chunk >= addresses.length || addresses[chunk] == 0 || slot >= states.length)
        {
            return null;
        }
        final SlotState state = states[slot];
        if (state == SlotState.PLACEHOLDER)
        {
            return lock.validate(stamp) ? SlotState.ABSENT : null;
        }
        UNSAFE.copyMemory(null, addresses[chunk] + (long)(slot & chunkMask) * valueBytes, dst,
            FLOAT_BASE + (long)dstOffset * Float.BYTES, valueBytes);
        if (!lock.validate(stamp))
        {
            return null;
        }
        return state;
    }

    /** @return the slot of the local copy of {@code key} (any state), or {@code -1} */
    int slotOf(final long key)
    {
        return (int)slotOfKey.get(key);
    }

    /** @return the slot of the main copy of {@code key} held here, or {@code -1} */
    int mainSlotOf(final long key)
    {
        final int slot = (int)slotOfKey.get(key);
        return slot >= 0 && stateOfSlot[slot] == SlotState.MAIN ? slot : -1;
    }

    /** @return the slot of a usable copy (main or replica) of {@code key}, or {@code -1} */
    int usableSlotOf(final long key)
    {
        final int slot = (int)slotOfKey.get(key);
        return slot >= 0 && stateOfSlot[slot] != SlotState.PLACEHOLDER ? slot : -1;
    }

    long address(final int slot)
    {
        return chunkAddress[slot >>> chunkShift] + (long)(slot & chunkMask) * valueBytes;
    }

    long key(final int slot)
    {
        return keyOfSlot[slot];
    }

    long counter(final int slot)
    {
        return counterOfSlot[slot];
    }

    SlotState state(final int slot)
    {
        return stateOfSlot[slot];
    }

    long version(final int slot)
    {
        return versionOfSlot[slot];
    }

    void version(final int slot, final long version)
    {
        versionOfSlot[slot] = version;
    }

    boolean updated(final int slot)
    {
        return updatedOfSlot[slot];
    }

    void updated(final int slot, final boolean updated)
    {
        updatedOfSlot[slot] = updated;
    }

    /** @return deltas of this replica that left for the main copy and are not acknowledged yet */
    int deltasInFlight(final int slot)
    {
        return deltasInFlightOfSlot[slot];
    }

    void deltasInFlight(final int slot, final int count)
    {
        deltasInFlightOfSlot[slot] = count;
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
        add(slot, src, srcOffset, scratch);
        if (stateOfSlot[slot] == SlotState.MAIN)
        {
            versionOfSlot[slot]++;
        }
        else
        {
            updatedOfSlot[slot] = true;
        }
    }

    /** Adds {@code src[srcOffset ..]} to the value in {@code slot}, through {@code scratch} for long values. */
    void add(final int slot, final float[] src, final int srcOffset, final AddScratch scratch)
    {
        final long base = address(slot);
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
     */
    int create(final long key, final SlotState state, final long counter, final long version)
    {
        final int slot = freeCount > 0 ? freeSlots[--freeCount] : nextFreshSlot();
        keyOfSlot[slot] = key;
        counterOfSlot[slot] = counter;
        versionOfSlot[slot] = version;
        updatedOfSlot[slot] = false;
        deltasInFlightOfSlot[slot] = 0;
        stateOfSlot[slot] = state;
        slotOfKey.put(key, slot);
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
        final long key = keyOfSlot[slot];
        stateOfSlot[slot] = SlotState.MAIN;
        counterOfSlot[slot] = counter;
        versionOfSlot[slot] = version;
        updatedOfSlot[slot] = false;
        deltasInFlightOfSlot[slot] = 0;
        syncStateOfKey.remove(key);
        minVersionOfKey.remove(key);
        hintOfKey.remove(key);
        replicaCount--;
        mainCount++;
    }

    void state(final int slot, final SlotState state)
    {
        stateOfSlot[slot] = state;
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
        final long key = keyOfSlot[slot];
        stateOfSlot[slot] = SlotState.PLACEHOLDER;
        versionOfSlot[slot] = -1;
        updatedOfSlot[slot] = false;
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
        final long key = keyOfSlot[slot];
        slotOfKey.remove(key);
        syncStateOfKey.remove(key);
        minVersionOfKey.remove(key);
        if (stateOfSlot[slot] == SlotState.MAIN)
        {
            mainCount--;
        }
        else
        {
            replicaCount--;
        }
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
        final Long2LongHashMap.EntryIterator it = slotOfKey.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            if (stateOfSlot[(int)it.getLongValue()] == SlotState.MAIN)
            {
                out[n++] = it.getLongKey();
            }
        }
        return n;
    }

    private int nextFreshSlot()
    {
        final int slot = highWater++;
        final int chunk = slot >>> chunkShift;
        if (chunk == chunks.length)
        {
            final int capacity = (chunk + 1) << chunkShift;
            final UnsafeBuffer buffer = new UnsafeBuffer(
                BufferUtil.allocateDirectAligned((chunkMask + 1) * valueBytes, CACHE_LINE));
            chunks = Arrays.copyOf(chunks, chunk + 1);
            chunks[chunk] = buffer;
            keyOfSlot = Arrays.copyOf(keyOfSlot, capacity);
            counterOfSlot = Arrays.copyOf(counterOfSlot, capacity);
            versionOfSlot = Arrays.copyOf(versionOfSlot, capacity);
            updatedOfSlot = Arrays.copyOf(updatedOfSlot, capacity);
            deltasInFlightOfSlot = Arrays.copyOf(deltasInFlightOfSlot, capacity);
            stateOfSlot = Arrays.copyOf(stateOfSlot, capacity);
            final long[] addresses = Arrays.copyOf(chunkAddress, chunk + 1);
            addresses[chunk] = buffer.addressOffset();
            chunkAddress = addresses;
        }
        return slot;
    }
}
