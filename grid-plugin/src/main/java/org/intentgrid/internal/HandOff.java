package org.intentgrid.internal;

import org.agrona.collections.LongArrayList;
import org.intentgrid.TableSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Graceful leave: before the member leaves the cluster, every main copy held here goes to another member
 * (preferably the key's home) and the homes record the new owners. A batch that no member takes stays here
 * rather than being lost. Runs on the thread that shuts the member down, after the member stopped accepting
 * main copies ({@link MemberLifecycle.State#LEAVING}).
 */
final class HandOff
{
    private static final int BATCH = 4096;
    private static final int ROUNDS_PER_TABLE = 10;

    private final StoreRegistry tables;
    private final Router router;
    private final NoticeSender notices;
    private final MemberCounters counters;

    HandOff(final StoreRegistry tables, final Router router, final NoticeSender notices, final MemberCounters counters)
    {
        this.tables = tables;
        this.router = router;
        this.notices = notices;
        this.counters = counters;
    }

    /** @return number of keys handed off within the timeout */
    long run(final long timeoutMillis)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long moved = 0;
        for (final TableStore table : tables.all())
        {
            for (int round = 0; round < ROUNDS_PER_TABLE && table.mainCopies() > 0 && System.nanoTime() < deadline;
                round++)
            {
                moved += handOffTable(table, deadline);
            }
        }
        return moved;
    }

    private long handOffTable(final TableStore table, final long deadline)
    {
        final List<UUID> others = new ArrayList<>(router.port().members());
        others.remove(router.self());
        if (others.isEmpty())
        {
            return 0;
        }
        final TableSpec spec = table.spec();
        final Map<UUID, List<Long>> byTarget = new HashMap<>();
        int roundRobin = 0;
        for (final long key : table.mainKeys())
        {
            UUID target = router.homeOf(router.partitionOf(spec, key));
            if (target == null || target.equals(router.self()))
            {
                target = others.get(roundRobin++ % others.size());
            }
            byTarget.computeIfAbsent(target, t -> new ArrayList<>()).add(key);
        }
        long moved = 0;
        for (final Map.Entry<UUID, List<Long>> target : byTarget.entrySet())
        {
            final List<Long> keys = target.getValue();
            for (int from = 0; from < keys.size(); from += BATCH)
            {
                moved += handOffBatch(table, keys.subList(from, Math.min(keys.size(), from + BATCH)),
                    target.getKey(), others, deadline);
            }
        }
        return moved;
    }

    private long handOffBatch(
        final TableStore table, final List<Long> candidates, final UUID preferred, final List<UUID> others,
        final long deadline)
    {
        final int length = table.valueLength();
        final long[] keys = new long[candidates.size()];
        final float[] values = new float[keys.length * length];
        final long[] relocationCounters = new long[keys.length];
        final long[] versions = new long[keys.length];
        final int preferredPeer = router.peerIndex(preferred);
        final LongArrayList movedApplied = new LongArrayList();
        int n = 0;
        for (final long key : candidates)
        {
            final Stripe stripe = table.stripe(key);
            final long stamp = stripe.lock();
            try
            {
                final int slot = stripe.mainSlotOf(key);
                if (slot >= 0)
                {
                    keys[n] = key;
                    versions[n] = stripe.version(slot);
                    // to whoever adopts the batch, or back here if none does: every note goes
                    stripe.appliedTo(key, -1, movedApplied);
                    relocationCounters[n] = table.take(stripe, slot, values, n * length, preferredPeer);
                    n++;
                }
            }
            finally
            {
                stripe.unlock(stamp);
            }
        }
        if (n == 0)
        {
            return 0;
        }
        final long[] k = Arrays.copyOf(keys, n);
        final float[] v = Arrays.copyOf(values, n * length);
        final long[] c = Arrays.copyOf(relocationCounters, n);
        final long[] ver = Arrays.copyOf(versions, n);
        final DataRequest adopt = new DataRequest(table.spec(), RequestKind.ADOPT, k, v, c, null, ver, 0,
            TableStore.pairsOrNull(movedApplied));
        if (offer(table, adopt, preferred, others, deadline))
        {
            return n;
        }
        for (int i = 0; i < n; i++)
        {
            table.install(k[i], v, i * length, c[i] - 1, ver[i]);
        }
        return 0;
    }

    /**
     * Offers the batch to the preferred member, then to the others; once one took it, points this member's hints
     * there and tells the homes. A batch that was adopted is never offered again, even if the notices fail (the
     * batch lives at the target now: offering it again would make a second main copy).
     *
     * @return true once one member took the batch
     */
    private boolean offer(
        final TableStore table, final DataRequest adopt, final UUID preferred, final List<UUID> others,
        final long deadline)
    {
        final List<UUID> targets = new ArrayList<>();
        targets.add(preferred);
        for (final UUID other : others)
        {
            if (!other.equals(preferred))
            {
                targets.add(other);
            }
        }
        for (final UUID target : targets)
        {
            if (adoptedBy(target, adopt, deadline))
            {
                counters.relocationsOut.addAndGet(adopt.keys.length);
                final int peer = router.peerIndex(target);
                for (final long key : adopt.keys)
                {
                    table.setHint(key, peer);
                }
                awaitNotices(table, adopt, target, deadline);
                return true;
            }
            if (Thread.currentThread().isInterrupted())
            {
                return false;
            }
        }
        return false;
    }

    private boolean adoptedBy(final UUID target, final DataRequest adopt, final long deadline)
    {
        try
        {
            final DataReply reply = router.port().direct(target, adopt).get(
                Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return reply.status.length > 0 && reply.status[0] == DataReply.SERVED;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (final ExecutionException | TimeoutException e)
        {
            return false;
        }
    }

    private void awaitNotices(final TableStore table, final DataRequest adopt, final UUID target, final long deadline)
    {
        try
        {
            notices.send(table.spec(), adopt.keys, adopt.counters, target, deadline)
                .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException | TimeoutException e)
        {
            // the keys live at the target already; only their directory entries are late
        }
    }
}
