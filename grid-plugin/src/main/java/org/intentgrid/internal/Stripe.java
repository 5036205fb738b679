package org.intentgrid.internal;

import org.agrona.collections.Long2LongCounterMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.Long2ObjectHashMap;
import org.intentgrid.Hashing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One lock stripe of a {@link TableStore}: the local copies of the keys that hash here — main copies,
 * replicas and placeholders — their slots (in native memory, {@link SlotMemory}), an index from key to slot, the
 * {@link KeyNotes} of the copies that sync rounds look at (found through the slot header), and the notes of keys
 * that may have no slot here (route hints, which a key's slot holds while it has one; arrival waiters).
 * <p>
 * Every method except {@link #copyOutOptimistic} must be called while holding the stripe's write lock
 * ({@link #lock()}); the class does no locking itself so that a caller can run a whole per-key step (look
 * up, copy, update metadata) under one lock. The stripe is its own {@link java.util.concurrent.locks.StampedLock},
 * so that taking the lock touches no other object.
 * <p>
 * The index is an open-addressing table of slot numbers in an {@code int[]} (linear probing, backward-shift
 * deletion) whose keys are compared in the slot headers: a lookup touches the index and the slot it lands on,
 * which holds the value too, and a key costs 5-11 bytes of heap (load 3/8 to 3/4).
 * <p>
 * Pulls read without locking (an optimistic read, validated afterwards): the reads of the index may then see
 * it in the middle of an update, so every slot derived from them is bounds-checked before memory is touched,
 * probes are bounded, and the caller discards the result unless validation succeeds.
 */
final class Stripe extends SlotMemory
{
    static final long MISSING = -1L;
    private static final long serialVersionUID = 1L;
    private static final int MIN_INDEX = 8;
    private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;

    private transient int[] index = new int[MIN_INDEX];
    private final transient Long2LongHashMap hintOfKey = new Long2LongHashMap(MISSING);
    /** The notes in use and the free ones (see {@link #freeNotes}); a slot header holds its notes' number + 1. */
    private transient KeyNotes[] notes = new KeyNotes[0];
    /** Numbers of the notes in {@link #notes} that no slot uses. */
    private transient int[] freeNotes = new int[0];
    private int freeNoteCount;
    private final transient Long2ObjectHashMap<ArrivalWaiters> arrivalsOfKey = new Long2ObjectHashMap<>();
    /** Keys a local worker's {@code localize} is moving here, with the number of such requests in flight. */
    private final transient Long2LongCounterMap localizingOfKey = new Long2LongCounterMap(0);
    private int indexed;
    private int mainCount;
    private int replicaCount;
    private transient int[] freeSlots = new int[8];
    private int freeCount;
    /** Keys whose main copy left since the last backup flush: their backups go too. */
    private final transient LongArrayList leftKeys = new LongArrayList();
    /** The remote updates applied here since the last backup flush ({@link AppliedRequests}). */
    private transient AppliedNotes appliedSinceFlush = new AppliedNotes();
    /** The ones the last flush took, until it reached the holder ({@link #appliedTo}). */
    private transient AppliedNotes appliedInFlush = new AppliedNotes();

    /** A stripe whose chunks are not counted against any budget (tests). */
    Stripe(final int valueLength, final int slotsPerChunk)
    {
        this(valueLength, slotsPerChunk, OffHeapMemory.unlimited().account("test"));
    }

    Stripe(final int valueLength, final int slotsPerChunk, final OffHeapMemory.Account memory)
    {
        super(valueLength, slotsPerChunk, memory);
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

    /** Where the key's probe run starts, from its hash: bits the stripe choice (the low bits) does not use. */
    private static int indexHashOf(final long hash)
    {
        return (int)(hash >>> 32);
    }

    /**
     * 8 more bits of the key's hash, kept in its index entry above the slot number (the low {@link #SLOT_BITS} bits,
     * slot + 1, 0 for an empty entry), so that a probe past another key's entry rarely has to read that key's slot.
     */
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
        final long[] addresses = chunkAddresses();
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
            final long at = slotAddressIn(addresses, slot);
            if (at == 0)
            {
                return null;
            }
            if (keyAt(at) == key)
            {
                final SlotState state = stateAt(at);
                if (state != SlotState.MAIN && state != SlotState.REPLICA)
                {
                    return validate(stamp) ? SlotState.ABSENT : null;
                }
                copyValueOut(at, dst, dstOffset);
                return validate(stamp) ? state : null;
            }
        }
        return null;
    }

    /**
     * Reads, without the lock, the index entry where a lookup of {@code key} starts: the first of the two cache
     * misses a lookup in a table larger than the cache takes ({@link #touchSlot} is the second).
     *
     * @return the entry, for {@link #touchSlot}
     */
    int touchIndex(final long key)
    {
        final int[] idx = index;
        return idx[indexHashOf(Hashing.mix64(key)) & (idx.length - 1)];
    }

    /**
     * Reads, without the lock, the key in the header of the slot an index entry names (one read by
     * {@link #touchIndex}, perhaps outdated: the slot number is bounds-checked before memory is touched).
     *
     * @return the key read, or 0 for an empty or out-of-bounds entry
     */
    long touchSlot(final int entry)
    {
        if (entry == 0)
        {
            return 0;
        }
        final long at = slotAddressIn(chunkAddresses(), slotOfEntry(entry));
        return at == 0 ? 0 : keyAt(at);
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
            if ((entry & ~SLOT_MASK) == tag && key(slotOfEntry(entry)) == key)
            {
                return slotOfEntry(entry);
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * As {@link #slotOf(long)}, trying first the slot the key had when the caller last looked (at a sync round's
     * step, for the round's answer): a slot freed or reused meanwhile shows it in its header, and a slot in use that
     * holds the key is its only one.
     */
    int slotOf(final long key, final int likely)
    {
        if (likely >= 0 && likely < highWater() && key(likely) == key && state(likely) != SlotState.ABSENT)
        {
            return likely;
        }
        return slotOf(key);
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

    /**
     * Creates a local copy of {@code key}; its value is left for the caller to fill.
     *
     * @return the new slot
     * @throws org.intentgrid.OffHeapExhaustedException if the slot needs a new chunk and the member has no room
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
        writeHeader(slot, key, state, counter, version);
        clearNotes(slot);
        insert(key, slot);
        final long hint = hintOfKey.remove(key);
        if (state == SlotState.MAIN)
        {
            mainCount++;
        }
        else
        {
            hintOf(slot, (int)hint);
            replicaCount++;
        }
        return slot;
    }

    /**
     * @return native bytes that copies of {@code keys[from .. to)} (keys of this stripe) would take in new chunks,
     *         counting only the distinct keys without a local copy and using the free slots first; sorts that range
     *         of {@code keys}
     */
    long bytesToCreate(final long[] keys, final int from, final int to)
    {
        Arrays.sort(keys, from, to);
        int missing = 0;
        for (int j = from; j < to; j++)
        {
            if ((j == from || keys[j] != keys[j - 1]) && slotOf(keys[j]) < 0)
            {
                missing++;
            }
        }
        return chunkBytesForFresh(missing - freeCount);
    }

    /** Turns a replica or placeholder into the main copy (relocation to this member). */
    void promote(final int slot, final long counter, final long version)
    {
        final long key = key(slot);
        writeHeader(slot, key, SlotState.MAIN, counter, version);
        final KeyNotes noted = notes(slot);
        if (noted != null)
        {
            noted.synced = null;
            noted.minVersion = MISSING;
            releaseNotesIfEmpty(slot, noted);
        }
        replicaCount--;
        mainCount++;
    }

    /** @return the newest main-copy version this member saw for the copy through remote operations, or -1 */
    long minVersion(final int slot)
    {
        final KeyNotes noted = notes(slot);
        return noted == null ? MISSING : noted.minVersion;
    }

    /** The copy in {@code slot} was seen at main-copy {@code version} (not negative) through a remote operation. */
    void minVersion(final int slot, final long version)
    {
        notesOf(slot).minVersion = version;
    }

    /** Turns the main copy into a placeholder: it was relocated away while local workers still intend it. */
    void demote(final int slot, final int forwardedToPeer)
    {
        final long key = key(slot);
        writeHeader(slot, key, SlotState.PLACEHOLDER, counter(slot), -1);
        hintOf(slot, forwardedToPeer);
        mainCount--;
        replicaCount++;
    }

    /** Removes the local copy held in {@code slot} and remembers where the main copy is. */
    void remove(final int slot, final int forwardedToPeer)
    {
        final long key = key(slot);
        final int hint = forwardedToPeer >= 0 ? forwardedToPeer : hintOf(slot);
        unindex(key);
        final KeyNotes noted = notes(slot);
        if (noted != null)
        {
            noted.clear();
            releaseNotesIfEmpty(slot, noted);
        }
        if (state(slot) == SlotState.MAIN)
        {
            mainCount--;
        }
        else
        {
            replicaCount--;
        }
        free(slot);
        if (hint >= 0)
        {
            hintOfKey.put(key, hint);
        }
        if (freeCount == freeSlots.length)
        {
            freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
        }
        freeSlots[freeCount++] = slot;
    }

    /**
     * Forgets every key of a dropped table (see {@link SlotMemory#detachChunks}); caller holds the lock.
     *
     * @param waiters receives the requests that waited for a key to arrive, to be released after the lock
     * @return the chunks to free once no lock-free reader can still be reading them
     */
    OffHeapMemory.Chunks detach(final List<ArrivalWaiters> waiters)
    {
        for (final ArrivalWaiters waiting : arrivalsOfKey.values())
        {
            if (waiting != ArrivalWaiters.NONE)
            {
                waiters.add(waiting);
            }
        }
        index = new int[MIN_INDEX];
        dropBackupNotes();
        indexed = 0;
        mainCount = 0;
        replicaCount = 0;
        freeCount = 0;
        hintOfKey.clear();
        notes = new KeyNotes[0];
        freeNotes = new int[0];
        freeNoteCount = 0;
        arrivalsOfKey.clear();
        localizingOfKey.clear();
        return detachChunks();
    }

    /** The main copy of {@code key} left this member: the next backup flush removes its backup. */
    void noteLeft(final long key)
    {
        leftKeys.addLong(key);
    }

    /** Moves the keys noted by {@link #noteLeft} since the last call into {@code out}. */
    void takeLeft(final LongArrayList out)
    {
        out.addAll(leftKeys);
        leftKeys.clear();
    }

    /**
     * A remote update with this fingerprint was applied to the main copy of {@code key} here (or came with it from
     * its previous owner): its backup must learn it too, and so must the key's next owner if the key moves on before.
     */
    void noteApplied(final long key, final long fingerprint)
    {
        appliedSinceFlush.add(key, fingerprint);
    }

    /**
     * Moves the fingerprints noted by {@link #noteApplied} since the last call into {@code out}; they stay known to
     * {@link #appliedTo} until the flush that took them reached the holder ({@link #forgetFlushedApplied}).
     *
     * @param withLast also the ones the last call took: a full resync follows a flush that may have failed (its
     *                 values reach the new copy, so must their fingerprints) or went to another holder
     */
    void takeApplied(final LongArrayList out, final boolean withLast)
    {
        if (withLast)
        {
            appliedInFlush.fingerprintsTo(out);
        }
        appliedSinceFlush.fingerprintsTo(out);
        final AppliedNotes emptied = appliedInFlush;
        emptied.clear();
        appliedInFlush = appliedSinceFlush;
        appliedSinceFlush = emptied;
    }

    /** The flush that took the fingerprints of the last {@link #takeApplied} reached the holder: forgets them. */
    void forgetFlushedApplied()
    {
        appliedInFlush.clear();
    }

    /** Forgets what {@link #noteLeft} and {@link #noteApplied} noted: no backup flush will take it. */
    void dropBackupNotes()
    {
        leftKeys.clear();
        appliedSinceFlush.clear();
        appliedInFlush.clear();
    }

    /**
     * Appends to {@code pairs}, as (key, fingerprint), the remote updates applied to the main copy of {@code key}
     * here that the backup holder may not know yet (noted since the last flush that reached it): the key is moving on
     * with a value that includes them, and its new owner must recognize them if they are sent again
     * ({@link KnownUpdates}). Leaves out those handed to the same member before: it knows them.
     *
     * @param toPeer the new owner's peer index, or negative if unknown
     */
    void appliedTo(final long key, final int toPeer, final LongArrayList pairs)
    {
        appliedInFlush.handOver(key, toPeer, pairs);
        appliedSinceFlush.handOver(key, toPeer, pairs);
    }

    /** @return main copies held by {@code stripes}, each counted under its lock */
    static long mainCount(final Stripe[] stripes)
    {
        long n = 0;
        for (final Stripe stripe : stripes)
        {
            final long stamp = stripe.lock();
            try
            {
                n += stripe.mainCount();
            }
            finally
            {
                stripe.unlock(stamp);
            }
        }
        return n;
    }

    /**
     * Detaches every stripe of {@code stripes} (see {@link #detach}), each under its lock.
     *
     * @return the chunks to free once no lock-free reader can still be reading them
     */
    static List<OffHeapMemory.Chunks> detachAll(final Stripe[] stripes, final List<ArrivalWaiters> waiters)
    {
        final List<OffHeapMemory.Chunks> detached = new ArrayList<>(stripes.length);
        for (final Stripe stripe : stripes)
        {
            final long stamp = stripe.lock();
            try
            {
                detached.add(stripe.detach(waiters));
            }
            finally
            {
                stripe.unlock(stamp);
            }
        }
        return detached;
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

    /** @return true if a local worker's {@code localize} of {@code key} is in flight */
    boolean localizing(final long key)
    {
        return !localizingOfKey.isEmpty() && localizingOfKey.get(key) > 0;
    }

    /**
     * A local worker's {@code localize} of {@code key} started ({@code +1}) or ended ({@code -1}); an end after the
     * stripe was detached finds nothing to count down. A key whose count reaches 0 leaves the map.
     */
    void localizing(final long key, final int change)
    {
        if (change > 0 || localizingOfKey.get(key) > 0)
        {
            localizingOfKey.addAndGet(key, change);
        }
    }

    /** @return the value of the replica in {@code slot} as of its last sync, or null (placeholder, main copy) */
    float[] syncState(final int slot)
    {
        final KeyNotes noted = notes(slot);
        return noted == null ? null : noted.synced;
    }

    void syncState(final int slot, final float[] values)
    {
        notesOf(slot).synced = values;
    }

    /**
     * Records that local worker {@code worker} intends the key in {@code slot} until clock {@code end} (a later end
     * of the same worker extends it). One worker's intent lives in the slot header; a second worker's moves both
     * into the key's notes ({@link #intentEnds}).
     *
     * @return true if no local worker intended the key before
     */
    boolean addIntent(final int slot, final int worker, final long end)
    {
        final int only = intentWorker(slot);
        if (only == NO_INTENT || only == worker)
        {
            intent(slot, worker, only == NO_INTENT ? end : Math.max(end, intentEnd(slot)));
            return only == NO_INTENT;
        }
        final KeyNotes noted = notesOf(slot);
        long[] ends = noted.intentEnds;
        if (ends == null || ends.length <= Math.max(worker, only))
        {
            final long[] grown = new long[Math.max(worker, only) + 1];
            Arrays.fill(grown, -1);
            if (ends != null)
            {
                System.arraycopy(ends, 0, grown, 0, ends.length);
            }
            ends = grown;
            noted.intentEnds = ends;
        }
        if (only >= 0)
        {
            ends[only] = intentEnd(slot);
            intent(slot, SEVERAL_INTENTS, -1);
        }
        ends[worker] = Math.max(ends[worker], end);
        return false;
    }

    /**
     * @return with {@link #intentWorker} {@link #SEVERAL_INTENTS}: the end clocks of the local intents per worker
     *         index, -1 for none; else null
     */
    long[] intentEnds(final int slot)
    {
        final KeyNotes noted = notes(slot);
        return noted == null ? null : noted.intentEnds;
    }

    /** No local worker intends the key in {@code slot} any more. */
    void clearIntents(final int slot)
    {
        intent(slot, NO_INTENT, -1);
        final KeyNotes noted = notes(slot);
        if (noted != null && noted.intentEnds != null)
        {
            noted.intentEnds = null;
            releaseNotesIfEmpty(slot, noted);
        }
    }

    /** @return the notes of the copy in {@code slot}, or null if it has none */
    private KeyNotes notes(final int slot)
    {
        final int ref = notesRef(slot);
        return ref == 0 ? null : notes[ref - 1];
    }

    /** @return the notes of the copy in {@code slot}, new ones if it had none */
    private KeyNotes notesOf(final int slot)
    {
        final int ref = notesRef(slot);
        if (ref != 0)
        {
            return notes[ref - 1];
        }
        final int number;
        if (freeNoteCount > 0)
        {
            number = freeNotes[--freeNoteCount];
        }
        else
        {
            number = notes.length;
            notes = Arrays.copyOf(notes, Math.max(8, number * 2));
            freeNotes = Arrays.copyOf(freeNotes, notes.length);
            for (int n = notes.length - 1; n > number; n--)
            {
                notes[n] = new KeyNotes();
                freeNotes[freeNoteCount++] = n;
            }
            notes[number] = new KeyNotes();
        }
        notesRef(slot, number + 1);
        return notes[number];
    }

    private void releaseNotesIfEmpty(final int slot, final KeyNotes noted)
    {
        if (noted.isEmpty())
        {
            freeNotes[freeNoteCount++] = notesRef(slot) - 1;
            notesRef(slot, 0);
        }
    }

    /** @return the peer this member last saw holding {@code key}, or {@code -1} */
    int hint(final long key)
    {
        final int slot = slotOf(key);
        return slot >= 0 ? hintOf(slot) : (int)hintOfKey.get(key);
    }

    void setHint(final long key, final int peer)
    {
        setHint(key, slotOf(key), peer);
    }

    /** As {@link #setHint(long, int)}, for a caller that looked the key's slot up already ({@code -1}: none). */
    void setHint(final long key, final int slot, final int peer)
    {
        if (slot >= 0)
        {
            hintOf(slot, peer);
        }
        else if (peer < 0)
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
        for (int slot = 0; slot < highWater(); slot++)
        {
            if (state(slot) == SlotState.MAIN)
            {
                out[n++] = key(slot);
            }
        }
        return n;
    }

    private void insert(final long key, final int slot)
    {
        if ((indexed + 1) * 4L > index.length * 3L)
        {
            rehash(index.length * 2);
        }
        final int[] idx = index;
        final int mask = idx.length - 1;
        final long hash = Hashing.mix64(key);
        int i = indexHashOf(hash) & mask;
        while (idx[i] != 0)
        {
            i = (i + 1) & mask;
        }
        idx[i] = tagOf(hash) | (slot + 1);
        indexed++;
    }

    /**
     * Sizes the index at once for {@code additional} more keys, so that a bulk creation does not rehash it again and
     * again (each rehash reads every key from its slot). Caller holds the lock.
     */
    void reserve(final int additional)
    {
        int length = index.length;
        while ((indexed + (long)additional) * 4L > length * 3L && length < 1 << 30)
        {
            length <<= 1;
        }
        if (length != index.length)
        {
            rehash(length);
        }
    }

    /** Replaces the index by one of {@code length} entries, filled before it is published to lock-free readers. */
    private void rehash(final int length)
    {
        final int[] old = index;
        final int[] grown = new int[length];
        final int mask = grown.length - 1;
        for (final int entry : old)
        {
            if (entry != 0)
            {
                int i = indexHashOf(Hashing.mix64(key(slotOfEntry(entry)))) & mask;
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
        final long hash = Hashing.mix64(key);
        final int tag = tagOf(hash);
        int hole = indexHashOf(hash) & mask;
        while ((idx[hole] & ~SLOT_MASK) != tag || key(slotOfEntry(idx[hole])) != key)
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
            final int home = indexHashOf(Hashing.mix64(key(slotOfEntry(entry)))) & mask;
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

}
