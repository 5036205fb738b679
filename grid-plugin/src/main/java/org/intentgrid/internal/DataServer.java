package org.intentgrid.internal;

import java.util.Arrays;
import java.util.UUID;

/**
 * The owner side of data requests: applies other members' pulls, pushes, sets and localizes to the main copies
 * held here, and adopts main copies from a member that leaves.
 * <p>
 * Each key is one step under its stripe lock. A key not held here is answered as a miss with a hint (where this
 * member last saw it), except at the key's home partition, where {@link HomeDirectoryServer} may create it or
 * name its owner. Runs on Hazelcast's generic threads (direct requests) or on the key's partition thread (home
 * requests); holds no state of its own.
 */
final class DataServer
{
    private final StoreRegistry tables;
    private final Router router;
    private final HomeDirectoryServer home;
    private final MemberCounters counters;
    private final MemberLifecycle lifecycle;

    DataServer(
        final StoreRegistry tables, final Router router, final HomeDirectoryServer home, final MemberCounters counters,
        final MemberLifecycle lifecycle)
    {
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
        final String tableName = request.spec.name();
        final AddScratch scratch = kind == RequestKind.PUSH ? new AddScratch(length) : null;
        final DirectoryChanges changes = homePartition < 0 ? null : new DirectoryChanges(tableName);
        int served = 0;
        for (int i = 0; i < n; i++)
        {
            final long key = request.keys[i];
            final Stripe stripe = table.stripe(key);
            final long stamp = stripe.lock();
            try
            {
                int slot = stripe.mainSlotOf(key);
                if (slot < 0)
                {
                    if (table.isDropped())
                    {
                        // dropped while this request ran; checked under the lock, which the drop takes too
                        reply.dropped(request.spec.name());
                        return reply;
                    }
                    if (homePartition < 0)
                    {
                        reply.miss(i, router.missHint(request.spec, stripe.hint(key), key));
                        continue;
                    }
                    slot = home.resolveAtHome(homePartition, table, stripe, key, reply, i, changes);
                    if (slot < 0)
                    {
                        continue;
                    }
                }
                switch (kind)
                {
                    case PULL:
                        stripe.copyOut(slot, reply.values, i * length);
                        break;
                    case PUSH:
                        stripe.push(slot, request.values, i * length, scratch);
                        break;
                    case SET:
                        stripe.copyIn(slot, request.values, i * length);
                        stripe.bumpVersion(slot);
                        break;
                    case LOCALIZE:
                        reply.versions[i] = stripe.version(slot);
                        final long counter = table.take(stripe, slot, reply.values, i * length, callerPeer);
                        reply.counters[i] = counter;
                        counters.relocationsOut.incrementAndGet();
                        if (homePartition >= 0)
                        {
                            home.recordMove(homePartition, tableName, key, caller, counter, changes);
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
            finally
            {
                stripe.unlock(stamp);
            }
        }
        if (kind != RequestKind.MATERIALIZE)
        {
            counters.keysServedForOthers.addAndGet(served);
        }
        if (changes != null)
        {
            reply.directoryChanges = changes.toChunkOrNull();
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
        for (int i = 0; i < n; i++)
        {
            table.install(request.keys[i], request.values, i * length, request.counters[i], request.versions[i]);
        }
        counters.relocationsIn.addAndGet(n);
        return reply;
    }
}
