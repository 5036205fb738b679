package org.intentgrid.internal;

import org.agrona.collections.LongArrayList;
import org.intentgrid.Hashing;
import org.intentgrid.Init;
import org.intentgrid.TableSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The member-local part of one table: main copies of the keys this member owns, replicas of keys owned
 * elsewhere that local workers intend to use, and placeholders for replicas being set up; off-heap, split
 * into lock stripes.
 * <p>
 * Each per-key method takes at most one stripe lock for one key step; the worker-facing ones allocate
 * nothing, and pulls take no lock at all unless a writer interferes. The sync-round methods keep the
 * replica bookkeeping (value at last sync, version, pending-update flag, local intents) consistent with
 * the value under the same lock.
 */
public final class TableStore
{
    /**
     * Size a chunk of slots aims at: above glibc's mmap threshold (128 KiB), where first touches of a big table
     * ran 1.3x faster than from 64 KiB chunks carved out of malloc's arenas (10M keys x 64 floats, one member:
     * 1.7 to 2.2M keys/s); small enough that a sparsely touched big table (one key in each of 1024 stripes) takes
     * 256 MiB of address space, not gigabytes (untouched pages of a chunk take no RAM).
     */
    private static final long CHUNK_BYTES = 256 << 10;
    /** Keys whose lookups {@link #touchAhead} reads at once: enough misses to overlap, not more than stay cached. */
    static final int TOUCH_AHEAD = 16;
    private final TableSpec spec;
    private final int valueLength;
    private final Stripe[] stripes;
    private final int stripeMask;
    private final String memberName;
    private final StoreListener listener;
    private final WorkerClocks clocks;
    private final ReplicaStore replicas;
    private final OffHeapMemory.Account memory;
    private final AdoptionHolds adoptions;
    private volatile boolean dropped;

    /** @param adoptions the member's holds of keys adopted over a replica with a delta in flight ({@link #adopt}) */
    TableStore(
        final TableSpec spec, final int stripeCount, final String memberName, final StoreListener listener,
        final WorkerClocks clocks, final OffHeapMemory.Account memory, final AdoptionHolds adoptions)
    {
        this.spec = spec;
        this.valueLength = spec.valueLength();
        this.memberName = memberName;
        this.listener = listener;
        this.clocks = clocks;
        this.stripes = new Stripe[stripeCount];
        final int slotsPerChunk = slotsPerChunk(spec, stripeCount);
        for (int i = 0; i < stripeCount; i++)
        {
            stripes[i] = new Stripe(valueLength, slotsPerChunk, memory);
        }
        this.stripeMask = stripeCount - 1;
        this.memory = memory;
        this.adoptions = adoptions;
        this.replicas = new ReplicaStore(this, memberName, listener, adoptions);
    }

    /** @return native bytes one copy of a key of {@code valueLength} floats takes: its slot, header and value */
    public static int bytesPerCopy(final int valueLength)
    {
        return SlotMemory.slotBytes(valueLength);
    }

    /** @return slots per chunk for {@code stripeCount} stripes holding {@code spec}'s keys */
    static int slotsPerChunk(final TableSpec spec, final int stripeCount)
    {
        final long perStripe = Math.max(1, spec.size() / stripeCount / 2);
        final long slotBytes = SlotMemory.slotBytes(spec.valueLength());
        final long byBytes = Math.max(1, CHUNK_BYTES / slotBytes);
        return Integer.highestOneBit((int)Math.min(byBytes, Math.max(16, perStripe)));
    }

    /** @return the replica side of this table: intents, sync steps, refreshes */
    ReplicaStore replicaStore()
    {
        return replicas;
    }

    /** @return the table's shape */
    public TableSpec spec()
    {
        return spec;
    }

    /** @return floats per key */
    public int valueLength()
    {
        return valueLength;
    }

    Stripe stripe(final long key)
    {
        return stripes[stripeIndex(key)];
    }

    private int stripeIndex(final long key)
    {
        return (int)Hashing.mix64(key) & stripeMask;
    }

    /**
     * Orders {@code keys} by stripe (a counting sort), so that a bulk request served at the home holds each stripe's
     * lock once per run of keys and writes that stripe's new slots one after another.
     *
     * @return the keys grouped by stripe, in a new array
     */
    long[] groupedByStripe(final long[] keys)
    {
        final int[] next = new int[stripes.length + 1];
        for (final long key : keys)
        {
            next[stripeIndex(key) + 1]++;
        }
        for (int s = 1; s < next.length; s++)
        {
            next[s] += next[s - 1];
        }
        final long[] grouped = new long[keys.length];
        for (final long key : keys)
        {
            grouped[next[stripeIndex(key)]++] = key;
        }
        return grouped;
    }

    /**
     * Checks that this member has room for local copies of {@code keys[positions[0 .. count)]} before a call moves
     * them here (the keys that have a local copy already need none); creates nothing. The check and the moves are
     * not atomic: other keys created meanwhile can take the room, and the moved copies are stored all the same.
     *
     * @throws org.intentgrid.OffHeapExhaustedException if the copies would take this member past its cap or the
     *                                                  machine's limit
     */
    void checkRoomFor(final long[] keys, final int[] positions, final int count)
    {
        final long[] wanted = new long[count];
        for (int j = 0; j < count; j++)
        {
            wanted[j] = keys[positions[j]];
        }
        final long[] grouped = groupedByStripe(wanted);
        long bytes = 0;
        int from = 0;
        while (from < grouped.length)
        {
            final int stripeIndex = stripeIndex(grouped[from]);
            int to = from + 1;
            while (to < grouped.length && stripeIndex(grouped[to]) == stripeIndex)
            {
                to++;
            }
            final Stripe stripe = stripes[stripeIndex];
            final long stamp = stripe.lock();
            try
            {
                bytes += stripe.bytesToCreate(grouped, from, to);
            }
            finally
            {
                stripe.unlock(stamp);
            }
            from = to;
        }
        memory.checkRoom(bytes);
    }

    /**
     * Reads ahead, for a loop that looks up {@code keys[0 .. n)} one by one under their stripe locks (a request
     * served here): at every {@link #TOUCH_AHEAD}-th key, the index entries and slots of the next ones, so that their
     * cache misses overlap instead of coming one after another. A bulk creation of a table larger than the cache
     * spent 22% of its CPU in lookups that found each key absent; reading ahead made it 17% faster (10M keys x 64
     * floats, 12 alternating runs: 2.38M keys/s on average against 2.03M).
     *
     * @param i       the key the loop is at
     * @param entries room for {@link #TOUCH_AHEAD} index entries, or null to read nothing ahead (a request of one key)
     * @return a value derived from what was read, for the caller to keep, so that the reads are not optimized away
     */
    long touchAhead(final long[] keys, final int i, final int n, final int[] entries)
    {
        return entries == null || i % TOUCH_AHEAD != 0 ? 0 :
            touch(keys, null, i, Math.min(n, i + TOUCH_AHEAD), entries);
    }

    /** @return room for {@link #touchAhead}'s entries in a loop over {@code n} keys, or null if not worth it */
    static int[] touchAheadEntries(final int n)
    {
        return n > 1 ? new int[Math.min(n, TOUCH_AHEAD)] : null;
    }

    /**
     * Reads where lookups of {@code keys[positions[from .. to)]} ({@code keys[from .. to)} when {@code positions} is
     * null) will go, all index entries first, then the slots they name, so that their cache misses overlap: in a
     * table larger than the cache, a lookup is two misses one after the other, and a batch looked up key by key
     * waits for each in turn.
     *
     * @param entries room for {@code to - from} index entries
     * @return a value derived from what was read, for the caller to keep, so that the reads are not optimized away
     */
    long touch(final long[] keys, final int[] positions, final int from, final int to, final int[] entries)
    {
        for (int j = from; j < to; j++)
        {
            final long key = keys[positions == null ? j : positions[j]];
            entries[j - from] = stripe(key).touchIndex(key);
        }
        long seen = 0;
        for (int j = from; j < to; j++)
        {
            final long key = keys[positions == null ? j : positions[j]];
            seen += stripe(key).touchSlot(entries[j - from]);
        }
        return seen;
    }

    /**
     * Copies the value of {@code key} into {@code dst} from a usable local copy.
     *
     * @return {@link SlotState#MAIN} or {@link SlotState#REPLICA} if served locally (from that kind of copy), else
     *         {@link SlotState#ABSENT}
     */
    SlotState pullLocal(final long key, final float[] dst, final int dstOffset)
    {
        final Stripe stripe = stripe(key);
        final SlotState optimistic = stripe.copyOutOptimistic(key, dst, dstOffset);
        if (null != optimistic)
        {
            return optimistic;
        }
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.usableSlotOf(key);
            if (slot < 0)
            {
                return SlotState.ABSENT;
            }
            stripe.copyOut(slot, dst, dstOffset);
            return stripe.state(slot);
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * Adds {@code src[srcOffset ..]} to the value of {@code key} in a usable local copy; a replica ships
     * the update to the main copy at its next sync round.
     *
     * @param scratch room for one value, owned by the calling thread
     * @return {@link SlotState#MAIN} or {@link SlotState#REPLICA} if applied locally, else {@link SlotState#ABSENT}
     */
    SlotState pushLocal(final long key, final float[] src, final int srcOffset, final AddScratch scratch)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.usableSlotOf(key);
            if (slot < 0)
            {
                return SlotState.ABSENT;
            }
            return stripe.push(slot, src, srcOffset, scratch);
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * Overwrites the value of {@code key} if this member holds its main copy. Sets never apply to replicas:
     * they go to the main copy, and replicas show the new value after their next refresh.
     *
     * @return true if applied locally
     */
    boolean setLocal(final long key, final float[] src, final int srcOffset)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.mainSlotOf(key);
            if (slot < 0)
            {
                return false;
            }
            stripe.copyIn(slot, src, srcOffset);
            stripe.bumpVersion(slot);
            return true;
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * The local part of a remote push ({@code scratch} given) or set ({@code scratch} null) whose key is here now:
     * applies it, unless this member holds the main copy and {@code applied} knows the update — an earlier attempt
     * reached the key's owner, which was lost after its backup (now here) had the update. The check and the update
     * are under one hold of the stripe lock, which the install of a recovered key takes too, and a recovery merges
     * the lost owner's fingerprints before it installs: a main copy seen here is judged with them.
     *
     * @param mainOnly apply only to the main copy (sets, and deltas a requester re-delivers); else to a replica too
     * @return true if the key was handled here (applied, or known as applied)
     */
    boolean updateLocal(
        final long key, final float[] src, final int srcOffset, final AddScratch scratch, final boolean mainOnly,
        final AppliedRequests applied, final long fingerprint)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = mainOnly ? stripe.mainSlotOf(key) : stripe.usableSlotOf(key);
            if (slot < 0)
            {
                return false;
            }
            if (stripe.state(slot) == SlotState.MAIN && applied.contains(fingerprint))
            {
                return true;
            }
            if (scratch == null)
            {
                stripe.copyIn(slot, src, srcOffset);
                stripe.bumpVersion(slot);
                return true;
            }
            return stripe.push(slot, src, srcOffset, scratch) != SlotState.ABSENT;
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /** @return true if this member holds the main copy of {@code key} right now */
    public boolean holdsMain(final long key)
    {
        return localState(key) == SlotState.MAIN;
    }

    /** @return what this member holds of {@code key} now */
    public SlotState localState(final long key)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.slotOf(key);
            return slot < 0 ? SlotState.ABSENT : stripe.state(slot);
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /** @return the peer index this member last saw holding {@code key}, or -1 */
    int hint(final long key)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            return stripe.hint(key);
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    void setHint(final long key, final int peer)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.slotOf(key);
            if (slot < 0 || stripe.state(slot) != SlotState.MAIN)
            {
                stripe.setHint(key, slot, peer);
            }
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * Creates the main copy here with the table's initial value (turning a placeholder into it). Caller
     * holds the stripe lock and has established through the home directory that no main copy exists.
     *
     * @param existing the key's slot here (a replica or placeholder), or {@code -1}
     * @param counter the relocation counter of the new main copy: 0 for a first touch, higher for a key whose
     *                owner was lost without a backup of it
     * @param version the new main copy's first version ({@link Lineages})
     */
    int materialize(final Stripe stripe, final long key, final int existing, final long counter, final long version)
    {
        final int slot;
        if (existing >= 0)
        {
            slot = existing;
            stripe.promote(slot, counter, version);
        }
        else
        {
            slot = stripe.create(key, SlotState.MAIN, counter, version);
        }
        writeInitial(stripe, slot, key);
        listener.mainAcquired(spec.name(), key, memberName);
        return slot;
    }

    private void writeInitial(final Stripe stripe, final int slot, final long key)
    {
        final Init init = spec.init();
        if (init.kind() == Init.Kind.ZEROS)
        {
            stripe.zero(slot);
        }
        else
        {
            final long tableHash = spec.nameHash();
            for (int i = 0; i < valueLength; i++)
            {
                stripe.putFloat(slot, i, init.value(tableHash, key, i));
            }
        }
    }

    /**
     * Sets every main copy held here to its initial value, as a new version (replicas refresh, the backup gets it).
     *
     * @return the keys reset
     */
    long resetToInitial()
    {
        long reset = 0;
        for (final long key : mainKeys())
        {
            final Stripe stripe = stripe(key);
            final long stamp = stripe.lock();
            try
            {
                final int slot = stripe.mainSlotOf(key);
                if (slot >= 0)
                {
                    writeInitial(stripe, slot, key);
                    stripe.bumpVersion(slot);
                    reset++;
                }
            }
            finally
            {
                stripe.unlock(stamp);
            }
        }
        return reset;
    }

    /**
     * Installs a main copy that arrived from another member (localize, adopt, or relocation in answer to a
     * refresh). A local replica is upgraded in place and keeps the updates it has not shipped yet; a
     * placeholder takes the value as it is.
     *
     * @param version the main copy's version at the sender
     * @throws IllegalStateException if this member already holds a main copy (the protocol never does this)
     */
    void install(final long key, final float[] src, final int srcOffset, final long counter, final long version)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            installLocked(stripe, key, src, srcOffset, counter, version);
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * Installs a main copy that a leaving member handed over ({@link HandOff}). If it lands on a replica whose
     * deltas to that member are not answered yet, the key's local reads wait for their answers
     * ({@link AdoptionHolds}): the leaver may have handed its copy over before they reached it.
     */
    void adopt(final long key, final float[] src, final int srcOffset, final long counter, final long version)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            holdReads(key, installLocked(stripe, key, src, srcOffset, counter, version));
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * Installs a main copy recovered from a lost member's backup under the counter its home granted. If this member
     * holds the main copy already (it moved here from the lost member, and the home had not heard of it yet), that
     * newer copy stays and only takes the granted counter. If it lands on a replica whose deltas to the lost member
     * are not answered yet, the key's local reads wait for their answers, as after an {@link #adopt}: the backup
     * may hold them or not.
     */
    void installRecovered(final long key, final float[] src, final int srcOffset, final long counter,
        final long version)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int existing = stripe.slotOf(key);
            if (existing >= 0 && stripe.state(existing) == SlotState.MAIN)
            {
                stripe.counter(existing, Math.max(counter, stripe.counter(existing)));
                stripe.markDirty(existing);
            }
            else
            {
                holdReads(key, installLocked(stripe, key, src, srcOffset, counter, version));
            }
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /** Local reads of {@code key} wait for {@code unanswered} deltas of the replica it replaced (lock held). */
    private void holdReads(final long key, final int unanswered)
    {
        if (unanswered > 0)
        {
            adoptions.hold(spec, key, unanswered);
        }
    }

    /** @return the deltas in flight of the replica the main copy was installed over (0 if it was none) */
    private int installLocked(
        final Stripe stripe, final long key, final float[] src, final int srcOffset, final long counter,
        final long version)
    {
        final int existing = stripe.slotOf(key);
        int unanswered = 0;
        if (existing < 0)
        {
            final int slot = stripe.create(key, SlotState.MAIN, counter, version, false);
            stripe.copyIn(slot, src, srcOffset);
            stripe.markDirty(slot);
        }
        else if (stripe.state(existing) == SlotState.MAIN)
        {
            throw new IllegalStateException("table '" + spec.name() + "' key " + key +
                ": received a main copy while already holding one (counter " + counter + ")");
        }
        else
        {
            final boolean updated = stripe.updated(existing);
            if (stripe.state(existing) == SlotState.REPLICA)
            {
                unanswered = stripe.deltasInFlight(existing);
                rebase(stripe, existing, src, srcOffset);
                // as in the reference trace, upgrading a set-up replica ends it as a replica
                listener.replicaDropped(spec.name(), key, memberName);
            }
            else
            {
                stripe.copyIn(existing, src, srcOffset);
            }
            stripe.promote(existing, counter, version + (updated ? 1 : 0));
            stripe.markDirty(existing);
        }
        listener.mainAcquired(spec.name(), key, memberName);
        return unanswered;
    }

    /** @return the (key, fingerprint) pairs collected by {@link Stripe#appliedTo} for a message, or null if none */
    static long[] pairsOrNull(final LongArrayList pairs)
    {
        return pairs == null || pairs.isEmpty() ? null : pairs.toLongArray();
    }

    /**
     * Main copies are moving in whose values include the remote updates of {@code pairs} ((key, fingerprint) pairs
     * from {@link Stripe#appliedTo}, or null): records them as applied here, before the copies are installed, so that
     * one sent again because its first owner was lost is recognized, and notes the ones new here for this member's
     * backup and the keys' next owners. One known here already is in this member's notes still, or in its backup:
     * noted again, a key moving back and forth within a flush interval carried each update twice as often with every
     * round trip.
     */
    void appliedMovedIn(final long[] pairs, final AppliedRequests applied)
    {
        if (pairs == null)
        {
            return;
        }
        for (int i = 0; i < pairs.length; i += 2)
        {
            final long key = pairs[i];
            if (!applied.add(pairs[i + 1]))
            {
                continue;
            }
            final Stripe stripe = stripe(key);
            final long stamp = stripe.lock();
            try
            {
                stripe.noteApplied(key, pairs[i + 1]);
            }
            finally
            {
                stripe.unlock(stamp);
            }
        }
    }

    /**
     * value = main + (value - syncState), keeping the local updates not yet reflected in {@code main}; then
     * syncState = main.
     */
    void rebase(final Stripe stripe, final int slot, final float[] main, final int offset)
    {
        stripe.rebaseValue(slot, main, offset, stripe.syncState(slot));
    }

    /**
     * Removes the main copy from {@code slot}, copying its value out first. If local workers still intend
     * the key, a placeholder stays so that the next sync round asks for it again; it takes no refresh older than the
     * main copy it replaces. Caller holds the lock.
     *
     * The caller hands the next owner the updates the value includes that the backup may lack
     * ({@link Stripe#appliedTo}).
     *
     * @return the relocation counter the next owner must use (old counter + 1)
     */
    long take(final Stripe stripe, final int slot, final float[] dst, final int dstOffset, final int toPeer)
    {
        final long key = stripe.key(slot);
        final long next = stripe.counter(slot) + 1;
        stripe.copyOut(slot, dst, dstOffset);
        stripe.noteLeft(key);
        listener.mainReleased(spec.name(), key, memberName);
        if (activeIntent(stripe, slot))
        {
            final long version = stripe.version(slot);
            stripe.demote(slot, toPeer);
            // A refresh answered before the main copy came here may still be on its way: it must not make the
            // placeholder a replica older than the main copy this member's workers wrote to and read.
            stripe.minVersion(slot, version);
        }
        else
        {
            stripe.remove(slot, toPeer);
        }
        return next;
    }

    /**
     * @return true if every local intent for {@code key} ends within two action windows of its worker's clock: the
     *         key is wanted here for about as long as moving its main copy here would take ({@link SyncBatch#BRIEF})
     */
    boolean briefIntent(final Stripe stripe, final int slot)
    {
        final int only = stripe.intentWorker(slot);
        if (only >= 0)
        {
            return stripe.intentEnd(slot) - clocks.clock(only) <= 2 * clocks.actionWindow(only);
        }
        final long[] ends = only == SlotMemory.SEVERAL_INTENTS ? stripe.intentEnds(slot) : null;
        if (ends == null)
        {
            return false;
        }
        for (int w = 0; w < ends.length; w++)
        {
            if (ends[w] >= 0 && ends[w] - clocks.clock(w) > 2 * clocks.actionWindow(w))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return true if some local worker still intends the key in {@code slot} (also the owner's view for its
     *         decision); forgets intents that expired
     */
    boolean activeIntent(final Stripe stripe, final int slot)
    {
        final int only = stripe.intentWorker(slot);
        if (only == SlotMemory.NO_INTENT)
        {
            return false;
        }
        boolean active = false;
        if (only >= 0)
        {
            active = clocks.clock(only) < stripe.intentEnd(slot);
        }
        else
        {
            final long[] ends = stripe.intentEnds(slot);
            for (int w = 0; w < ends.length; w++)
            {
                if (ends[w] >= 0)
                {
                    if (clocks.clock(w) < ends[w])
                    {
                        active = true;
                    }
                    else
                    {
                        ends[w] = -1;
                    }
                }
            }
        }
        if (!active)
        {
            stripe.clearIntents(slot);
            listener.intentEnded(spec.name(), stripe.key(slot), memberName);
        }
        return active;
    }

    /**
     * Hands the backup flush this table's changes since its last call, stripe by stripe, each under its lock: the
     * keys whose main copies left, then the main copies that changed (with {@code all}, every main copy).
     *
     * @param fromStripe first stripe to look at
     * @param batch      receives the keys and values
     * @return the stripe to continue with, or the stripe count when done; stops early once {@code batch} is full
     */
    int collectBackup(final int fromStripe, final boolean all, final BackupBatch batch)
    {
        int s = fromStripe;
        for (; s < stripes.length && !batch.isFull(); s++)
        {
            final Stripe stripe = stripes[s];
            final long stamp = stripe.lock();
            try
            {
                stripe.takeLeft(batch.left);
                stripe.takeApplied(batch.applied, all);
                stripe.takeDirty(all, slot ->
                {
                    // a pristine key (never changed, never moved) is recreated from its initializer after a crash
                    if (stripe.state(slot) == SlotState.MAIN &&
                        (!all || stripe.version(slot) != 0 || stripe.counter(slot) != 0))
                    {
                        batch.add(stripe, slot);
                    }
                });
            }
            finally
            {
                stripe.unlock(stamp);
            }
        }
        return s;
    }

    /**
     * A backup flush reached the holder: the fingerprints it took need not travel with moving keys any more (the
     * holder answers for them, {@link KnownUpdates}), which keeps what a hot key carries to what came since.
     */
    void backupFlushed()
    {
        eachStripeLocked(Stripe::forgetFlushedApplied);
    }

    /**
     * Forgets, stripe by stripe, the departures and applied updates noted for the next backup flush: with no backup
     * holder (backups off, or no other member) no flush takes them, and they grew with every remote update.
     */
    void dropBackupNotes()
    {
        eachStripeLocked(Stripe::dropBackupNotes);
    }

    /** @return the number of lock stripes */
    int stripeCount()
    {
        return stripes.length;
    }

    /** Sizes every stripe's index for about {@code keys} more keys of this table (a bulk creation is coming). */
    void reserve(final long keys)
    {
        // keys spread over the stripes by hash: a few percent more than the mean covers the fuller ones
        final long mean = keys / stripes.length;
        final int perStripe = (int)Math.min(SlotMemory.MAX_SLOTS, mean + mean / 16 + 8);
        eachStripeLocked(stripe -> stripe.reserve(perStripe));
    }

    /** Runs {@code step} on every stripe, one after another, each under its lock. */
    private void eachStripeLocked(final Consumer<Stripe> step)
    {
        for (final Stripe stripe : stripes)
        {
            final long stamp = stripe.lock();
            try
            {
                step.accept(stripe);
            }
            finally
            {
                stripe.unlock(stamp);
            }
        }
    }

    /** @return true once the table was dropped: its store is empty and takes no keys */
    public boolean isDropped()
    {
        return dropped;
    }

    /**
     * Forgets every key of this table here and frees its native memory after a grace period; requests that
     * waited for a key to arrive go on their way again (and fail, since the table is gone everywhere).
     *
     * @return completes once the memory is freed
     */
    CompletableFuture<Void> drop()
    {
        dropped = true;
        final List<ArrivalWaiters> waiters = new ArrayList<>();
        final List<OffHeapMemory.Chunks> detached = Stripe.detachAll(stripes, waiters);
        for (final ArrivalWaiters waiting : waiters)
        {
            waiting.release();
        }
        return OffHeapMemory.freeAfterGrace(detached);
    }

    /** @return bytes of native memory this table holds on this member (its slot chunks) */
    public long offHeapBytes()
    {
        return memory.bytes();
    }

    /** @return number of main copies held here */
    public long mainCopies()
    {
        return Stripe.mainCount(stripes);
    }

    /** @return number of replicas and placeholders held here */
    public long replicas()
    {
        long n = 0;
        for (final Stripe stripe : stripes)
        {
            final long stamp = stripe.lock();
            try
            {
                n += stripe.replicaCount();
            }
            finally
            {
                stripe.unlock(stamp);
            }
        }
        return n;
    }

    /** @return true if this member holds the main copy of {@code key}, whose value is then in {@code value} */
    boolean copyMain(final long key, final float[] value)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.mainSlotOf(key);
            if (slot < 0)
            {
                return false;
            }
            stripe.copyOut(slot, value, 0);
            return true;
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /** @return the keys of all main copies held here (a snapshot; not for the hot path) */
    long[] mainKeys()
    {
        long[] keys = new long[16];
        int n = 0;
        for (final Stripe stripe : stripes)
        {
            final long stamp = stripe.lock();
            try
            {
                if (n + stripe.mainCount() > keys.length)
                {
                    keys = Arrays.copyOf(keys, Math.max(keys.length * 2, n + stripe.mainCount()));
                }
                n = stripe.collectMainKeys(keys, n);
            }
            finally
            {
                stripe.unlock(stamp);
            }
        }
        return Arrays.copyOf(keys, n);
    }
}
