package org.intentgrid.internal;

import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;

import java.util.Arrays;
import java.util.UUID;

/**
 * The owner side of data requests: applies other members' pulls, pushes, sets and localizes to the main copies
 * held here, and adopts main copies from a member that leaves.
 * <p>
 * Each key is one step under its stripe lock. A key not held here is answered as a miss with a hint (where this
 * member last saw it), except at the key's home partition, where {@link HomeDirectoryServer} may create it or
 * name its owner. Runs on Hazelcast's generic threads (direct requests) or on the key's partition thread (home
 * requests); holds no state of its own. A request reads its keys' index entries and slots a few keys ahead of
 * serving them ({@link TableStore#touchAhead}).
 */
final class DataServer
{
    private static final int TABLE_DROPPED = Integer.MIN_VALUE;

    private final StoreRegistry tables;
    private final Router router;
    private final HomeDirectoryServer home;
    private final MemberCounters counters;
    private final MemberLifecycle lifecycle;
    private final AppliedRequests applied;
    private final BackupFlusher backup;
    private final HandedOver handedOver;
    private final RecoveryPins pins;
    /** What the touches read, kept so that the compiler cannot drop the reads (racy: only its being kept matters). */
    private long touchSum;

    DataServer(
        final StoreRegistry tables, final Router router, final HomeDirectoryServer home, final MemberCounters counters,
        final MemberLifecycle lifecycle, final AppliedRequests applied, final BackupFlusher backup,
        final HandedOver handedOver, final RecoveryPins pins)
    {
        this.pins = pins;
        this.applied = applied;
        this.backup = backup;
        this.handedOver = handedOver;
        this.tables = tables;
        this.router = router;
        this.home = home;
        this.counters = counters;
        this.lifecycle = lifecycle;
    }

    /**
     * Serves a pull, push, set or localize.
     *
     * @param homePartition the keys' home partition if this runs on that partition's thread, else {@code -1}
     */
    DataReply serve(final DataRequest request, final UUID caller, final int homePartition)
    {
        final TableStore table = tables.liveTable(request.spec);
        final int n = request.keys.length;
        final int length = request.spec.valueLength();
        final RequestKind kind = request.kind;
        final boolean returnsValues = kind == RequestKind.PULL || kind == RequestKind.LOCALIZE;
        final DataReply reply = new DataReply(new byte[n], returnsValues ? new float[n * length] : null,
            kind == RequestKind.LOCALIZE ? new long[n] : null, new long[n], null);
        if (table == null)
        {
            reply.dropped(request.spec.name());
            return reply;
        }
        final int callerPeer = router.peerIndex(caller);
        final AddScratch scratch = kind == RequestKind.PUSH ? new AddScratch(length) : null;
        final DirectoryChanges changes = homePartition < 0 ? null : new DirectoryChanges(request.spec.id());
        final LongHashSet recordedNow = request.requestId == 0 ? null : new LongHashSet();
        final LongArrayList movedApplied = kind == RequestKind.LOCALIZE ? new LongArrayList() : null;
        boolean updated = false;
        int served = 0;
        final int[] touched = TableStore.touchAheadEntries(n);
        long seen = 0;
        // consecutive keys of one stripe share one hold of its lock (a bulk creation sends its keys grouped by stripe)
        Stripe locked = null;
        long stamp = 0;
        try
        {
            for (int i = 0; i < n; i++)
            {
                seen += table.touchAhead(request.keys, i, n, touched);
                final long key = request.keys[i];
                final Stripe stripe = table.stripe(key);
                if (stripe != locked)
                {
                    stamp = relock(locked, stamp, stripe);
                    locked = stripe;
                }
                final int slot = mainSlot(table, stripe, key, homePartition, reply, i, changes);
                if (slot == TABLE_DROPPED)
                {
                    return reply;
                }
                if (slot < 0)
                {
                    continue;
                }
                switch (kind)
                {
                    case PULL:
                        if (pins.isPinned(request.spec, key))
                        {
                            reply.status[i] = DataReply.WAIT;
                            continue;
                        }
                        stripe.copyOut(slot, reply.values, i * length);
                        break;
                    case PUSH:
                    case SET:
                        update(stripe, slot, request, i, scratch, recordedNow);
                        updated = true;
                        break;
                    case LOCALIZE:
                        if (!handOver(table, stripe, slot, i, reply, caller, callerPeer, homePartition, changes,
                            movedApplied))
                        {
                            continue;
                        }
                        break;
                    case MATERIALIZE:
                        break;
                    default:
                        throw new IllegalArgumentException("request kind " + kind.label() +
                            " cannot be served from a store");
                }
                if (kind != RequestKind.LOCALIZE)
                {
                    reply.versions[i] = stripe.version(slot);
                }
                served++;
            }
        }
        finally
        {
            if (locked != null)
            {
                locked.unlock(stamp);
            }
            touchSum += seen;
            reply.movedApplied(TableStore.pairsOrNull(movedApplied));
        }
        if (kind != RequestKind.MATERIALIZE)
        {
            counters.keysServedForOthers.addAndGet(served);
        }
        if (changes != null)
        {
            reply.directoryChanges = changes.toChunkOrNull();
        }
        return withBackupTerms(reply, kind, updated);
    }

    /**
     * Finds the main copy of key {@code i} here, or creates it at its home if no member ever did. Caller holds the
     * key's stripe lock.
     *
     * @return its slot; {@link #TABLE_DROPPED} if the table was dropped while the request ran (checked under the
     *         lock, which the drop takes too); another negative value if {@code reply} says where to look or to wait
     */
    private int mainSlot(
        final TableStore table, final Stripe stripe, final long key, final int homePartition, final DataReply reply,
        final int i, final DirectoryChanges changes)
    {
        final int slot = stripe.slotOf(key);
        if (slot >= 0 && stripe.state(slot) == SlotState.MAIN)
        {
            return slot;
        }
        if (table.isDropped())
        {
            reply.dropped(table.spec().name());
            return TABLE_DROPPED;
        }
        if (homePartition < 0)
        {
            reply.miss(i, router.missHint(table.spec(), stripe.hint(key), key));
            return -1;
        }
        return home.resolveAtHome(homePartition, table, stripe, key, slot, reply, i, changes);
    }

    /** Releases the stripe lock held (if any) and takes {@code next}'s: @return the new stamp */
    private static long relock(final Stripe held, final long stamp, final Stripe next)
    {
        if (held != null)
        {
            held.unlock(stamp);
        }
        return next.lock();
    }

    /**
     * Hands the main copy of key {@code i} of a localize over to its caller, unless a recovery pinned it.
     *
     * @return false if the key is pinned (the reply says wait)
     */
    private boolean handOver(
        final TableStore table, final Stripe stripe, final int slot, final int i, final DataReply reply,
        final UUID caller, final int callerPeer, final int homePartition, final DirectoryChanges changes,
        final LongArrayList movedApplied)
    {
        final long key = stripe.key(slot);
        if (pins.isPinned(table.spec(), key))
        {
            reply.status[i] = DataReply.WAIT;
            return false;
        }
        final int length = table.valueLength();
        reply.versions[i] = stripe.version(slot);
        stripe.appliedTo(key, callerPeer, movedApplied);
        final long counter = table.take(stripe, slot, reply.values, i * length, callerPeer);
        reply.counters[i] = counter;
        handedOver.keep(caller, table, key, reply.values, i * length, counter, reply.versions[i]);
        counters.relocationsOut.incrementAndGet();
        if (homePartition >= 0)
        {
            home.recordMove(homePartition, table.spec().id(), key, caller, counter, changes);
        }
        return true;
    }

    /**
     * A push is answered at once, naming the backup flush that will carry it (the requester keeps it until then);
     * a set is answered only once the backup holds it (a retry of a set applied before waits too).
     */
    private DataReply withBackupTerms(final DataReply reply, final RequestKind kind, final boolean updated)
    {
        if (updated && kind == RequestKind.SET)
        {
            reply.backupGate = backup.afterNextFlush();
        }
        reply.backupFlushes(updated && kind == RequestKind.PUSH ? backup.pendingFlush() : 0, backup.completedFlush());
        return reply;
    }

    /**
     * Applies key {@code i} of a push or set to the main copy in {@code slot}, unless an earlier delivery of that
     * request applied it here (a retry whose first answer was lost); records it, also for the backup. A key that
     * occurs twice in one request is applied twice. Caller holds the key's stripe lock.
     *
     * @param recordedNow fingerprints this delivery recorded so far
     */
    private void update(
        final Stripe stripe, final int slot, final DataRequest request, final int i, final AddScratch scratch,
        final LongHashSet recordedNow)
    {
        if (request.requestId != 0)
        {
            final long fingerprint = AppliedRequests.fingerprint(request.requestId, request.keys[i]);
            if (applied.add(fingerprint))
            {
                recordedNow.add(fingerprint);
                stripe.noteApplied(request.keys[i], fingerprint);
            }
            else if (!recordedNow.contains(fingerprint))
            {
                return;
            }
        }
        final int at = i * request.spec.valueLength();
        if (request.kind == RequestKind.PUSH)
        {
            stripe.push(slot, request.values, at, scratch);
        }
        else
        {
            stripe.copyIn(slot, request.values, at);
            stripe.bumpVersion(slot);
        }
    }

    /** Answers which of the request's keys this member holds the main copy of, with their relocation counters. */
    DataReply mainCopies(final DataRequest request)
    {
        final int n = request.keys.length;
        final DataReply reply = new DataReply(new byte[n], null, new long[n], null, null);
        final TableStore table = tables.liveTable(request.spec);
        for (int i = 0; i < n; i++)
        {
            final long key = request.keys[i];
            reply.status[i] = DataReply.MISS;
            if (table == null)
            {
                continue;
            }
            final Stripe stripe = table.stripe(key);
            final long stamp = stripe.lock();
            try
            {
                final int slot = stripe.mainSlotOf(key);
                if (slot >= 0)
                {
                    reply.status[i] = DataReply.SERVED;
                    reply.counters[i] = stripe.counter(slot);
                }
            }
            finally
            {
                stripe.unlock(stamp);
            }
        }
        return reply;
    }

    /** Takes over main copies from a member that leaves, unless this member is leaving itself. */
    DataReply adopt(final DataRequest request)
    {
        final int n = request.keys.length;
        final DataReply reply = new DataReply(new byte[n], null, null, null, null);
        if (!lifecycle.acceptsMainCopies())
        {
            Arrays.fill(reply.status, DataReply.MISS);
            return reply;
        }
        final TableStore table = tables.liveTable(request.spec);
        if (table == null)
        {
            reply.dropped(request.spec.name());
            return reply;
        }
        final int length = table.valueLength();
        table.appliedMovedIn(request.applied, applied);
        for (int i = 0; i < n; i++)
        {
            table.adopt(request.keys[i], request.values, i * length, request.counters[i], request.versions[i]);
        }
        counters.relocationsIn.addAndGet(n);
        reply.backupGate = backup.afterNextFlush();
        return reply;
    }
}
