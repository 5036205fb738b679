package org.intentgrid.core;

import org.agrona.BufferUtil;
import org.agrona.UnsafeAccess;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import sun.misc.Unsafe;

import java.util.Arrays;
import java.util.concurrent.locks.StampedLock;

/**
 * One lock stripe of a {@link TableStore}: the keys that hash here, their off-heap values and metadata.
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
    private final int valueBytes;
    private final int chunkShift;
    private final int chunkMask;
    private UnsafeBuffer[] chunks = new UnsafeBuffer[0];
    private long[] chunkAddress = new long[0];
    private long[] keyOfSlot = new long[0];
    private long[] counterOfSlot = new long[0];
    private int slotsInUse;
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
     * @return 1 if copied, 0 if the key is not held here, -1 if a concurrent writer interfered (take the lock)
     */
    int copyOutOptimistic(final long key, final float[] dst, final int dstOffset)
    {
        final long stamp = lock.tryOptimisticRead();
        if (stamp == 0)
        {
            return -1;
        }
        final int slot = (int)slotOfKey.get(key);
        if (slot < 0)
        {
            return lock.validate(stamp) ? 0 : -1;
        }
        final long[] addresses = chunkAddress;
        final int chunk = slot >>> chunkShift;
        if (chunk >= addresses.length || addresses[chunk] == 0)
        {
            return -1;
        }
        UNSAFE.copyMemory(null, addresses[chunk] + (long)(slot & chunkMask) * valueBytes, dst,
            FLOAT_BASE + (long)dstOffset * Float.BYTES, valueBytes);
        return lock.validate(stamp) ? 1 : -1;
    }

    /** @return the slot of the main copy of {@code key} held here, or {@code -1} */
    int slotOf(final long key)
    {
        return (int)slotOfKey.get(key);
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

    int size()
    {
        return slotsInUse;
    }

    void copyOut(final int slot, final float[] dst, final int dstOffset)
    {
        UNSAFE.copyMemory(null, address(slot), dst, FLOAT_BASE + (long)dstOffset * Float.BYTES, valueBytes);
    }

    void copyIn(final int slot, final float[] src, final int srcOffset)
    {
        UNSAFE.copyMemory(src, FLOAT_BASE + (long)srcOffset * Float.BYTES, null, address(slot), valueBytes);
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

    void putFloat(final int slot, final int index, final float value)
    {
        UNSAFE.putFloat(address(slot) + ((long)index << 2), value);
    }

    /**
     * Creates the main copy of {@code key} here; its value is left for the caller to fill.
     *
     * @return the new slot
     */
    int create(final long key, final long counter)
    {
        final int slot = freeCount > 0 ? freeSlots[--freeCount] : nextFreshSlot();
        keyOfSlot[slot] = key;
        counterOfSlot[slot] = counter;
        slotOfKey.put(key, slot);
        hintOfKey.remove(key);
        slotsInUse++;
        return slot;
    }

    /** Removes the main copy held in {@code slot} and remembers where it went. */
    void remove(final int slot, final int forwardedToPeer)
    {
        final long key = keyOfSlot[slot];
        slotOfKey.remove(key);
        if (forwardedToPeer >= 0)
        {
            hintOfKey.put(key, forwardedToPeer);
        }
        if (freeCount == freeSlots.length)
        {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = slot;
        slotsInUse--;
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
    int collectKeys(final long[] out, final int offset)
    {
        int n = offset;
        final Long2LongHashMap.KeyIterator it = slotOfKey.keySet().iterator();
        while (it.hasNext())
        {
            out[n++] = it.nextValue();
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
            final long[] addresses = Arrays.copyOf(chunkAddress, chunk + 1);
            addresses[chunk] = buffer.addressOffset();
            chunkAddress = addresses;
            keyOfSlot = Arrays.copyOf(keyOfSlot, capacity);
            counterOfSlot = Arrays.copyOf(counterOfSlot, capacity);
        }
        return slot;
    }
}
