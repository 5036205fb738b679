package org.intentgrid.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stripe's lock-free pull against a writer that rewrites, removes and re-creates slots all the time. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StripeTest
{
    private static final int LENGTH = 64;
    private static final int KEYS = 16;
    private static final long ENOUGH = 10_000;

    /** Every value is its key repeated; a torn or misplaced read would mix keys within one value. */
    private static void fill(final float[] value, final long key, final int generation)
    {
        for (int i = 0; i < value.length; i++)
        {
            value[i] = key * 1000 + generation % 1000;
        }
    }

    @Test
    void optimisticReadNeverReturnsATornOrForeignValue() throws Exception
    {
        final Stripe stripe = new Stripe(LENGTH, 4);
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong writes = new AtomicLong();
        final Thread writer = new Thread(() ->
        {
            final SplittableRandom random = new SplittableRandom(7);
            final float[] value = new float[LENGTH];
            int generation = 0;
            while (!stop.get())
            {
                final long key = random.nextInt(KEYS);
                final long stamp = stripe.lock();
                try
                {
                    final int slot = stripe.slotOf(key);
                    if (slot >= 0 && random.nextInt(4) == 0)
                    {
                        stripe.remove(slot, -1);
                    }
                    else
                    {
                        fill(value, key, ++generation);
                        stripe.copyIn(slot >= 0 ? slot : stripe.create(key, SlotState.MAIN, 0, 0), value, 0);
                    }
                }
                finally
                {
                    stripe.unlock(stamp);
                }
                if ((writes.incrementAndGet() & 1023) == 0)
                {
                    Thread.yield();
                }
            }
        }, "stripe-writer");
        writer.start();
        final float[] read = new float[LENGTH];
        long served = 0;
        long interfered = 0;
        // run until enough reads were served and enough writes raced them, not for a fixed time: a stalled
        // machine must not make the check vacuous or fail it
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        final SplittableRandom random = new SplittableRandom(11);
        while ((served < ENOUGH || writes.get() < ENOUGH) && System.nanoTime() < deadline)
        {
            final long key = random.nextInt(KEYS);
            final SlotState state = stripe.copyOutOptimistic(key, read, 0);
            if (state == null)
            {
                interfered++;
                continue;
            }
            if (state == SlotState.MAIN)
            {
                served++;
                for (int i = 1; i < LENGTH; i++)
                {
                    assertEquals(read[0], read[i], "one value, one write: element " + i);
                }
                assertEquals(key, (long)read[0] / 1000, "the value belongs to the key read");
            }
        }
        stop.set(true);
        writer.join();
        assertTrue(served >= ENOUGH, "reads were served without the lock: " + served);
        assertTrue(writes.get() >= ENOUGH, "the writer kept writing: " + writes.get());
        System.out.printf("optimistic reads served %d, interfered %d, writes %d%n", served, interfered, writes.get());
    }

    @Test
    void placeholdersAreNotReadable()
    {
        final Stripe stripe = new Stripe(LENGTH, 4);
        final long stamp = stripe.lock();
        final int slot = stripe.create(3, SlotState.PLACEHOLDER, 0, -1);
        stripe.unlock(stamp);
        assertEquals(SlotState.ABSENT, stripe.copyOutOptimistic(3, new float[LENGTH], 0));
        assertEquals(SlotState.ABSENT, stripe.copyOutOptimistic(4, new float[LENGTH], 0));
        assertNull(stripe.syncState(slot));
    }

    /**
     * Keys come and go in random order, each noting its own sync state, intents (of one worker in the slot header, of
     * two in the notes) and version: every slot's notes stay its own, a new key starts without notes (none left over
     * from a removed key), promotion keeps only the intents, demotion keeps them, and a slot remembered from an
     * earlier look is taken only while it holds the key.
     */
    @Test
    void keyNotesFollowTheirSlotAndLeaveWithIt()
    {
        final Stripe stripe = new Stripe(4, 8);
        final SplittableRandom random = new SplittableRandom(11);
        final int[] slotOfKey = new int[200];
        Arrays.fill(slotOfKey, -1);
        final long stamp = stripe.lock();
        try
        {
            for (int step = 0; step < 20_000; step++)
            {
                final int key = random.nextInt(slotOfKey.length);
                final int slot = slotOfKey[key];
                if (slot < 0)
                {
                    final int created = stripe.create(key, SlotState.REPLICA, 0, 0);
                    assertNull(stripe.syncState(created), "a new copy of key " + key + " has no sync state");
                    assertEquals(SlotMemory.NO_INTENT, stripe.intentWorker(created), "nor intents: key " + key);
                    assertNull(stripe.intentEnds(created), "a new copy of key " + key + " has no intents");
                    assertEquals(Stripe.MISSING, stripe.minVersion(created), "nor a version seen");
                    stripe.syncState(created, new float[] {key, key, key, key});
                    assertTrue(stripe.addIntent(created, 1, key), "the first intent for key " + key);
                    assertFalse(stripe.addIntent(created, 1, key - 1), "a second one of the same worker");
                    if (key % 2 == 0)
                    {
                        assertFalse(stripe.addIntent(created, 0, key + 1), "another worker's");
                    }
                    stripe.minVersion(created, key);
                    slotOfKey[key] = created;
                }
                else if (random.nextInt(4) == 0)
                {
                    stripe.remove(slot, -1);
                    slotOfKey[key] = -1;
                    assertEquals(-1, stripe.slotOf(key, slot), "a removed key's old slot is not taken for it");
                }
                else
                {
                    assertEquals(slot, stripe.slotOf(key, slot));
                    assertEquals(slot, stripe.slotOf(key, -1));
                    assertEquals(key, stripe.syncState(slot)[0], "sync state of key " + key);
                    assertIntents(stripe, slot, key);
                    assertEquals(key, stripe.minVersion(slot), "version seen of key " + key);
                }
            }
            for (int key = 0; key < slotOfKey.length; key++)
            {
                if (slotOfKey[key] >= 0)
                {
                    assertEquals(slotOfKey[key], stripe.slotOf(key, -1));
                    final int other = slotOfKey[(key + 1) % slotOfKey.length];
                    if (other >= 0)
                    {
                        assertEquals(slotOfKey[key], stripe.slotOf(key, other), "another key's slot is not taken");
                    }
                }
            }
            int kept = 0;
            while (slotOfKey[kept] < 0)
            {
                kept++;
            }
            final int slot = slotOfKey[kept];
            stripe.promote(slot, 1, 0);
            assertNull(stripe.syncState(slot), "a main copy has no sync state");
            assertEquals(Stripe.MISSING, stripe.minVersion(slot));
            assertIntents(stripe, slot, kept);
            stripe.demote(slot, -1);
            assertIntents(stripe, slot, kept);
            stripe.clearIntents(slot);
            assertEquals(SlotMemory.NO_INTENT, stripe.intentWorker(slot));
            assertNull(stripe.intentEnds(slot));
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /** Key {@code key} is intended by worker 1 until {@code key}, and if even, by worker 0 until {@code key + 1}. */
    private static void assertIntents(final Stripe stripe, final int slot, final long key)
    {
        if (key % 2 == 0)
        {
            assertEquals(SlotMemory.SEVERAL_INTENTS, stripe.intentWorker(slot), "two workers intend key " + key);
            assertArrayEquals(new long[] {key + 1, key}, stripe.intentEnds(slot), "intent ends of key " + key);
        }
        else
        {
            assertEquals(1, stripe.intentWorker(slot), "one worker intends key " + key);
            assertEquals(key, stripe.intentEnd(slot), "intent end of key " + key);
            assertNull(stripe.intentEnds(slot));
        }
    }

    @Test
    void aReservedIndexFindsEveryKeyBeforeAndAfterIt()
    {
        final Stripe stripe = new Stripe(4, 16);
        final float[] value = new float[4];
        final long stamp = stripe.lock();
        try
        {
            for (long key = 0; key < 100; key++)
            {
                fill(value, key, 1);
                stripe.copyIn(stripe.create(key, SlotState.MAIN, 0, 0), value, 0);
            }
            stripe.reserve(5_000);
            for (long key = 100; key < 5_100; key++)
            {
                fill(value, key, 1);
                stripe.copyIn(stripe.create(key, SlotState.MAIN, 0, 0), value, 0);
            }
        }
        finally
        {
            stripe.unlock(stamp);
        }
        final float[] read = new float[4];
        for (long key = 0; key < 5_100; key++)
        {
            assertEquals(SlotState.MAIN, stripe.copyOutOptimistic(key, read, 0), "key " + key);
            assertEquals(key * 1000 + 1, read[3], "key " + key);
        }
        assertEquals(SlotState.ABSENT, stripe.copyOutOptimistic(5_100, read, 0));
    }

    /**
     * A replica's delta and rebase give, to the bit, value - synced and main + (value - synced), for short values
     * (off-heap loops) and long ones (through the stripe's scratch array), slot after slot of one stripe; the rebase
     * leaves synced = main.
     */
    @Test
    void deltaAndRebaseAreExactAtEveryValueLength()
    {
        final SplittableRandom random = new SplittableRandom(11);
        for (final int length : new int[] {1, 16, 63, 64, 200, 257})
        {
            final Stripe stripe = new Stripe(length, 4);
            for (long key = 0; key < 9; key++)
            {
                final float[] value = randomFloats(random, length);
                final float[] synced = randomFloats(random, length);
                final int slot = stripe.create(key, SlotState.REPLICA, 0, 0);
                stripe.copyIn(slot, value, 0);
                stripe.syncState(slot, synced.clone());

                final float[] delta = new float[length + 3];
                stripe.takeDelta(slot, stripe.syncState(slot), delta);
                for (int i = 0; i < length; i++)
                {
                    assertEquals(Float.floatToIntBits(value[i] - synced[i]), Float.floatToIntBits(delta[i]),
                        "delta of element " + i + " at length " + length);
                }
                assertArrayEquals(value, stripe.syncState(slot), "synced after the delta, length " + length);

                final float[] updated = randomFloats(random, length);
                stripe.copyIn(slot, updated, 0);
                final float[] main = randomFloats(random, length + 5);
                stripe.rebaseValue(slot, main, 5, stripe.syncState(slot));
                final float[] rebased = new float[length];
                stripe.copyOut(slot, rebased, 0);
                for (int i = 0; i < length; i++)
                {
                    assertEquals(Float.floatToIntBits(main[5 + i] + (updated[i] - value[i])),
                        Float.floatToIntBits(rebased[i]), "rebased element " + i + " at length " + length);
                }
                assertArrayEquals(Arrays.copyOfRange(main, 5, 5 + length), stripe.syncState(slot),
                    "synced after the rebase, length " + length);
            }
        }
    }

    /**
     * A push adds, to the bit, each input float to its element, for short values (an off-heap loop) and long ones
     * (through the worker's scratch arrays), from an input at index 0 of its array (added directly) and from one
     * further in (copied first); the slots beside it keep their values.
     */
    @Test
    void pushAddsExactlyAtEveryValueLengthAndInputOffset()
    {
        final SplittableRandom random = new SplittableRandom(17);
        for (final int length : new int[] {1, 16, 64, 127, 128, 200, 257})
        {
            final AddScratch scratch = new AddScratch(length);
            for (final int offset : new int[] {0, 3, length})
            {
                final Stripe stripe = new Stripe(length, 4);
                final float[][] values = new float[3][];
                for (int key = 0; key < 3; key++)
                {
                    values[key] = randomFloats(random, length);
                    stripe.copyIn(stripe.create(key, SlotState.MAIN, 0, 0), values[key], 0);
                }
                final float[] input = randomFloats(random, offset + length + 2);
                assertEquals(SlotState.MAIN, stripe.push(stripe.slotOf(1), input, offset, scratch));
                final float[] read = new float[length];
                for (int key = 0; key < 3; key++)
                {
                    stripe.copyOut(stripe.slotOf(key), read, 0);
                    for (int i = 0; i < length; i++)
                    {
                        final float expected = key == 1 ? values[key][i] + input[offset + i] : values[key][i];
                        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(read[i]),
                            "key " + key + ", element " + i + ", length " + length + ", input at " + offset);
                    }
                }
            }
        }
    }

    /** Zeroing a value clears all of it, for odd and even lengths, and nothing of the slots beside it. */
    @Test
    void zeroClearsTheWholeValueAndNothingElse()
    {
        final SplittableRandom random = new SplittableRandom(13);
        for (final int length : new int[] {1, 2, 3, 16, 63, 64, 257})
        {
            final Stripe stripe = new Stripe(length, 4);
            final float[][] values = new float[3][];
            for (int key = 0; key < 3; key++)
            {
                values[key] = randomFloats(random, length);
                stripe.copyIn(stripe.create(key, SlotState.MAIN, 0, 0), values[key], 0);
            }
            stripe.zero(stripe.slotOf(1));
            final float[] read = new float[length];
            for (int key = 0; key < 3; key++)
            {
                stripe.copyOut(stripe.slotOf(key), read, 0);
                assertArrayEquals(key == 1 ? new float[length] : values[key], read,
                    "key " + key + ", length " + length);
                assertEquals(key, stripe.key(stripe.slotOf(key)), "the header of key " + key + " is intact");
            }
        }
    }

    private static float[] randomFloats(final SplittableRandom random, final int length)
    {
        final float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.nextGaussian() * 0.1);
        }
        return values;
    }

    @Test
    void bytesToCreateCountsOnlyMissingKeysAndUsesFreeSlotsFirst()
    {
        final Stripe stripe = new Stripe(2, 4);
        final long chunk = 4L * SlotMemory.slotBytes(2);
        final long[] keys = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(0, stripe.bytesToCreate(keys, 0, 0), "nothing asked, nothing needed");
        assertEquals(chunk, stripe.bytesToCreate(keys, 0, 1), "the first key needs the first chunk");
        assertEquals(3 * chunk, stripe.bytesToCreate(keys, 0, 9), "nine keys need three chunks of four slots");
        for (int k = 0; k < 3; k++)
        {
            stripe.create(keys[k], SlotState.MAIN, 0, 0);
        }
        assertEquals(0, stripe.bytesToCreate(keys, 0, 4), "three keys held, the fourth fits the chunk's last slot");
        assertEquals(chunk, stripe.bytesToCreate(keys, 0, 5), "two missing keys for one fresh slot: a new chunk");
        stripe.remove(stripe.slotOf(keys[0]), -1);
        assertEquals(0, stripe.bytesToCreate(keys, 1, 5),
            "keys 4 and 5 take the freed slot and the fresh one; keys 2 and 3 are held");
        assertEquals(chunk, stripe.bytesToCreate(keys, 0, 6), "four missing keys for two slots");
        final long[] repeated = {9, 7, 9, 8, 7, 9, 8, 7, 2};
        assertEquals(chunk, stripe.bytesToCreate(repeated, 0, repeated.length),
            "keys 7, 8 and 9, asked for more than once, need three slots, not eight; key 2 is held");
    }

    @Test
    void aRouteHintLivesInTheSlotWhileTheKeyHasOneAndInTheMapOtherwise()
    {
        final Stripe stripe = new Stripe(2, 4);
        stripe.setHint(5, 3);
        assertEquals(3, stripe.hint(5), "a key without a slot keeps its hint in the map");
        final int placeholder = stripe.create(5, SlotState.PLACEHOLDER, 0, -1);
        assertEquals(3, stripe.hintOf(placeholder), "a new slot takes the key's hint over");
        stripe.setHint(5, 4);
        assertEquals(4, stripe.hintOf(placeholder), "a hint for a key with a slot goes to the slot");
        stripe.remove(placeholder, -1);
        assertEquals(4, stripe.hint(5), "a removed slot hands its hint back to the map");
        final int replica = stripe.create(5, SlotState.REPLICA, 0, 0);
        stripe.remove(replica, 6);
        assertEquals(6, stripe.hint(5), "a removal that names where the main copy went replaces the hint");
        final int main = stripe.create(5, SlotState.MAIN, 0, 0);
        assertEquals(-1, stripe.hint(5), "a main copy here needs no hint, and the map forgot it");
        stripe.demote(main, 2);
        assertEquals(2, stripe.hint(5), "a main copy handed away remembers where it went");
        stripe.promote(main, 1, 1);
        assertEquals(-1, stripe.hint(5), "a relocation here clears it");
        stripe.setHint(5, SlotMemory.MAX_SLOT_HINT_PEER + 1);
        assertEquals(-1, stripe.hint(5), "a peer past the header byte's room keeps no hint while the slot lives");
        stripe.setHint(5, SlotMemory.MAX_SLOT_HINT_PEER);
        assertEquals(SlotMemory.MAX_SLOT_HINT_PEER, stripe.hint(5), "the last peer that fits");
        stripe.remove(main, -1);
        stripe.setHint(5, -1);
        assertEquals(-1, stripe.hint(5), "no hint at all");
        assertEquals(-1, stripe.hintOf(stripe.create(5, SlotState.PLACEHOLDER, 0, -1)), "a slot reused without one");
    }
}
