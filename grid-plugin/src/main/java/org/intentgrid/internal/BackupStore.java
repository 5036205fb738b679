package org.intentgrid.internal;

import org.intentgrid.Hashing;
import org.intentgrid.TableSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The backup holder's side: copies of other members' main copies (value, relocation counter, version), per origin
 * member and table, in native memory, as each origin's flushes last sent them. Nothing reads them while the origin
 * lives; when it is lost, {@link CrashRecovery} takes them over.
 * <p>
 * A lost origin's messages are refused from then on: a member cut off long enough to be removed may still flush
 * to its old holder before it merges back under a new id, and what it sent would stay here for good.
 * <p>
 * The fingerprints of a lost origin's updates ({@link AppliedRequests}) stay here a while after its backups were taken
 * over or freed: survivors ask which of the updates they saw it answer are known applied before they send them again
 * ({@link KnownUpdates}).
 * <p>
 * Thread-safe: flushes of one origin arrive one after another (the origin waits for each answer) and hold its lock
 * against the origin's loss; each key step runs under its stripe's lock.
 */
final class BackupStore
{
    private static final int STRIPES = 64;

    private final OffHeapMemory offHeap;
    private final Map<UUID, Map<String, Copies>> byOrigin = new ConcurrentHashMap<>();
    private final Map<UUID, AppliedRequests> appliedByOrigin = new ConcurrentHashMap<>();
    /** When each origin's last backup message was applied here ({@link System#nanoTime}). */
    private final Map<UUID, Long> lastAppliedNanos = new ConcurrentHashMap<>();
    /** Origins whose last full resync here completed: what is held of them is all of their main copies. */
    private final Set<UUID> complete = ConcurrentHashMap.newKeySet();
    /** Origins lost (their backups taken over or freed): ids are never reused, so this grows by one per loss. */
    private final Set<UUID> lost = ConcurrentHashMap.newKeySet();
    private final Set<UUID> refusalsReported = ConcurrentHashMap.newKeySet();
    /** Fingerprints of lost origins, kept {@link #lostAppliedMillis} after their loss for {@link #knows}. */
    private final Map<UUID, AppliedRequests> appliedOfLost = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final long lostAppliedMillis;

    /**
     * @param scheduler         forgets a lost origin's fingerprints after {@code lostAppliedMillis}
     * @param lostAppliedMillis how long a lost origin's fingerprints are kept: longer than survivors take to ask
     */
    BackupStore(final OffHeapMemory offHeap, final ScheduledExecutorService scheduler, final long lostAppliedMillis)
    {
        this.offHeap = offHeap;
        this.scheduler = scheduler;
        this.lostAppliedMillis = lostAppliedMillis;
    }

    /**
     * Applies one backup message of {@code origin}: BACKUP, BACKUP_REMOVE or BACKUP_RESET.
     *
     * @return false if refused: {@code origin} was lost
     */
    boolean apply(final UUID origin, final DataRequest request)
    {
        if (lost.contains(origin))
        {
            return false;
        }
        final Map<String, Copies> tables = byOrigin.computeIfAbsent(origin, o -> new ConcurrentHashMap<>());
        synchronized (tables)
        {
            if (lost.contains(origin))
            {
                byOrigin.remove(origin, tables);
                return false;
            }
            applyLocked(origin, tables, request);
        }
        lastAppliedNanos.put(origin, System.nanoTime());
        return true;
    }

    /**
     * @return milliseconds since {@code origin}'s last backup message was applied here, or -1 if none was: on its
     *         loss, the most of its own updates that can be missing here
     */
    long millisSinceLastBackup(final UUID origin)
    {
        final Long last = lastAppliedNanos.get(origin);
        return last == null ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - last);
    }

    /** @return true the first time it is called for {@code origin}: its refusal is worth one log line */
    boolean firstRefusal(final UUID origin)
    {
        return refusalsReported.add(origin);
    }

    private void applyLocked(final UUID origin, final Map<String, Copies> tables, final DataRequest request)
    {
        if (request.applied != null && request.applied.length > 0)
        {
            appliedByOrigin.computeIfAbsent(origin, o -> new AppliedRequests()).addAll(request.applied);
        }
        if (request.kind == RequestKind.BACKUP_RESET)
        {
            // a resync begins (or the origin released this holder): incomplete until it says otherwise
            complete.remove(origin);
            final Copies old = tables.remove(request.spec.id());
            if (old != null)
            {
                old.free();
            }
        }
        if (request.keys.length == 0)
        {
            return;
        }
        final Copies copies = tables.computeIfAbsent(request.spec.id(),
            t -> new Copies(request.spec, offHeap.account("backup of " + origin + " '" + request.spec.name() + "'")));
        if (request.kind == RequestKind.BACKUP_REMOVE)
        {
            copies.remove(request.keys);
        }
        else
        {
            copies.put(request);
        }
    }

    /** The full resync of {@code origin} here completed ({@link RequestKind#BACKUP_COMPLETE}). */
    void completed(final UUID origin)
    {
        if (!lost.contains(origin))
        {
            complete.add(origin);
        }
    }

    /** @return true if the backups of {@code origin} held here are all of its main copies, as of its last flush */
    boolean isComplete(final UUID origin)
    {
        return complete.contains(origin);
    }

    /**
     * Removes and returns every backup of {@code origin} (it was lost); the caller frees each with
     * {@link Copies#free()} once it has installed them.
     */
    List<Copies> takeOrigin(final UUID origin)
    {
        lost.add(origin);
        final Map<String, Copies> tables = byOrigin.remove(origin);
        final List<Copies> taken;
        if (tables == null)
        {
            taken = List.of();
        }
        else
        {
            synchronized (tables)
            {
                taken = new ArrayList<>(tables.values());
            }
        }
        keepLostApplied(origin);
        complete.remove(origin);
        return taken;
    }

    private void keepLostApplied(final UUID origin)
    {
        final AppliedRequests applied = appliedByOrigin.get(origin);
        if (applied == null)
        {
            return;
        }
        // kept before it is removed: a survivor's question in between finds it in one map or the other
        appliedOfLost.put(origin, applied);
        appliedByOrigin.remove(origin);
        try
        {
            scheduler.schedule(() -> appliedOfLost.remove(origin, applied), lostAppliedMillis, TimeUnit.MILLISECONDS);
        }
        catch (final RejectedExecutionException stopping)
        {
            appliedOfLost.remove(origin, applied);
        }
    }

    /**
     * @return true if a backup held here, or one of a lost origin held until recently, includes the remote update
     *         with this fingerprint
     */
    boolean knows(final long fingerprint)
    {
        for (final AppliedRequests applied : appliedByOrigin.values())
        {
            if (applied.contains(fingerprint))
            {
                return true;
            }
        }
        for (final AppliedRequests applied : appliedOfLost.values())
        {
            if (applied.contains(fingerprint))
            {
                return true;
            }
        }
        return false;
    }

    /** @return the fingerprints of the remote updates {@code origin}'s backups include, or null */
    AppliedRequests applied(final UUID origin)
    {
        return appliedByOrigin.get(origin);
    }

    /** Frees every backup of {@code origin} (it was lost, and another member recovered it or no one can). */
    void dropOrigin(final UUID origin)
    {
        for (final Copies copies : takeOrigin(origin))
        {
            copies.free();
        }
    }

    /**
     * Frees every backup of a dropped table.
     *
     * @return completes once their memory is freed
     */
    CompletableFuture<Void> dropTable(final String table)
    {
        final List<CompletableFuture<Void>> freed = new ArrayList<>();
        for (final Map<String, Copies> tables : byOrigin.values())
        {
            final Copies copies = tables.remove(table);
            if (copies != null)
            {
                freed.add(copies.free());
            }
        }
        return CompletableFuture.allOf(freed.toArray(CompletableFuture[]::new));
    }

    /** Frees every backup (the member shuts down). */
    void dropAll()
    {
        for (final UUID origin : byOrigin.keySet())
        {
            dropOrigin(origin);
        }
    }

    /** @return backup copies held here, summed over origins and tables */
    long keys()
    {
        long n = 0;
        for (final Map<String, Copies> tables : byOrigin.values())
        {
            for (final Copies copies : tables.values())
            {
                n += copies.size();
            }
        }
        return n;
    }

    /** @return native memory the backups held here take */
    long bytes()
    {
        long n = 0;
        for (final Map<String, Copies> tables : byOrigin.values())
        {
            for (final Copies copies : tables.values())
            {
                n += copies.memory.bytes();
            }
        }
        return n;
    }

    /** One origin's backups of one table. */
    static final class Copies
    {
        final TableSpec spec;
        private final Stripe[] stripes = new Stripe[STRIPES];
        private final OffHeapMemory.Account memory;

        Copies(final TableSpec spec, final OffHeapMemory.Account memory)
        {
            this.spec = spec;
            this.memory = memory;
            final int slotsPerChunk = TableStore.slotsPerChunk(spec, STRIPES);
            for (int i = 0; i < STRIPES; i++)
            {
                stripes[i] = new Stripe(spec.valueLength(), slotsPerChunk, memory);
            }
        }

        private Stripe stripe(final long key)
        {
            return stripes[(int)Hashing.mix64(key) & (STRIPES - 1)];
        }

        void put(final DataRequest request)
        {
            final int length = spec.valueLength();
            for (int i = 0; i < request.keys.length; i++)
            {
                final long key = request.keys[i];
                final Stripe stripe = stripe(key);
                final long stamp = stripe.lock();
                try
                {
                    final int existing = stripe.slotOf(key);
                    final int slot;
                    if (existing < 0)
                    {
                        slot = stripe.create(key, SlotState.MAIN, request.counters[i], request.versions[i], false);
                    }
                    else
                    {
                        slot = existing;
                        stripe.writeHeader(slot, key, SlotState.MAIN, request.counters[i], request.versions[i]);
                    }
                    stripe.copyIn(slot, request.values, i * length);
                }
                finally
                {
                    stripe.unlock(stamp);
                }
            }
        }

        void remove(final long[] keys)
        {
            for (final long key : keys)
            {
                final Stripe stripe = stripe(key);
                final long stamp = stripe.lock();
                try
                {
                    final int slot = stripe.slotOf(key);
                    if (slot >= 0)
                    {
                        stripe.remove(slot, -1);
                    }
                }
                finally
                {
                    stripe.unlock(stamp);
                }
            }
        }

        /** @return copies held */
        long size()
        {
            return Stripe.mainCount(stripes);
        }

        /**
         * Copies every backup into request-shaped pieces of at most {@link BackupBatch#MAX_FLOATS} floats: keys,
         * counters, versions and values, for the claims and installs of a recovery.
         */
        List<DataRequest> pieces()
        {
            final List<DataRequest> pieces = new ArrayList<>();
            final BackupBatch batch = new BackupBatch(spec.valueLength());
            for (final Stripe stripe : stripes)
            {
                final long stamp = stripe.lock();
                try
                {
                    for (int slot = 0; slot < stripe.highWater(); slot++)
                    {
                        if (stripe.state(slot) == SlotState.MAIN)
                        {
                            batch.add(stripe, slot);
                        }
                    }
                }
                finally
                {
                    stripe.unlock(stamp);
                }
                if (batch.isFull())
                {
                    pieces.add(batch.copies(spec, RequestKind.BACKUP));
                    batch.clear();
                }
            }
            if (batch.size() > 0)
            {
                pieces.add(batch.copies(spec, RequestKind.BACKUP));
            }
            return pieces;
        }

        /** Frees the copies' native memory (after the grace period lock-free readers get; none read these). */
        CompletableFuture<Void> free()
        {
            return OffHeapMemory.freeAfterGrace(Stripe.detachAll(stripes, new ArrayList<>()));
        }
    }
}
