package org.intentgrid.core;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.intentgrid.OpHandle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The keys of one worker call that were not local, on their way to the members holding their main copies.
 * <p>
 * Keys are grouped into one request per destination member: straight to the member a route hint names,
 * else straight to the key's home member, which usually holds it or knows from its directory who does.
 * Only a key that its home has never materialized, or one that keeps missing, goes through the home's
 * partition thread (the only place keys are created and ownership records change). Each answer says per
 * key "served" or "not here, try X"; misses are re-sent, so a key may take several hops while it moves,
 * and the request completes when every key has been served exactly once. The answer of a partition-thread
 * home lookup is followed straight away; retries back off once a key has missed several times.
 */
public final class RemoteRequest implements OpHandle
{
    private static final int MAX_HINT_HOPS = 3;
    private static final int BACKOFF_AFTER = 6;
    /** A moving key settles within about one sync round (~1 ms), so waiting much longer only adds latency. */
    private static final long MAX_BACKOFF_MICROS = 1000;

    private final MemberRuntime runtime;
    private final TableStore table;
    private final byte kind;
    private final long[] keys;
    private final int[] positions;
    private final float[] values;
    private final float[] out;
    private final WorkerCounters counters;
    private final boolean deliversDelta;
    private final int[] attempts;
    private final byte[] directHops;
    private final boolean[] needsHomeOp;
    private final int length;
    private final long deadlineNanos;
    private final CompletableFuture<Void> future = new CompletableFuture<>();
    private int remaining;
    private final LongArrayBuilder localizedKeys = new LongArrayBuilder();
    private final LongArrayBuilder localizedCounters = new LongArrayBuilder();

    /**
     * @param keys      the non-local keys
     * @param positions for each key, its index in the caller's key array (where its values are in {@code out})
     * @param values    for push and set, {@code valueLength} floats per non-local key, in {@code keys} order
     * @param out       for pull, the caller's value array
     */
    public RemoteRequest(
        final MemberRuntime runtime, final TableStore table, final byte kind, final long[] keys, final int[] positions,
        final float[] values, final float[] out, final WorkerCounters counters)
    {
        this(runtime, table, kind, keys, positions, values, out, counters, false);
    }

    /**
     * @param deliversDelta the push carries a replica delta that missed its owner: it may only be applied to a
     *                      main copy (the replica it came from already holds it) and is not reflected back
     */
    RemoteRequest(
        final MemberRuntime runtime, final TableStore table, final byte kind, final long[] keys, final int[] positions,
        final float[] values, final float[] out, final WorkerCounters counters, final boolean deliversDelta)
    {
        this.deliversDelta = deliversDelta;
        this.runtime = runtime;
        this.table = table;
        this.kind = kind;
        this.keys = keys;
        this.positions = positions;
        this.values = values;
        this.out = out;
        this.counters = counters;
        this.attempts = new int[keys.length];
        this.directHops = new byte[keys.length];
        this.needsHomeOp = new boolean[keys.length];
        this.length = table.valueLength();
        this.remaining = keys.length;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runtime.config().requestTimeoutMillis());
    }

    /** Sends the first round of requests. */
    public RemoteRequest start()
    {
        final IntArrayList all = new IntArrayList(keys.length, -1);
        for (int i = 0; i < keys.length; i++)
        {
            all.addInt(i);
        }
        dispatch(all, false);
        return this;
    }

    private void dispatch(final IntArrayList indexes, final boolean retry)
    {
        final Int2ObjectHashMap<IntArrayList> direct = new Int2ObjectHashMap<>();
        final Map<UUID, Int2ObjectHashMap<IntArrayList>> home = new HashMap<>();
        final IntArrayList later = new IntArrayList();
        int servedHere = 0;
        for (int j = 0; j < indexes.size(); j++)
        {
            final int i = indexes.getInt(j);
            if (retry && tryLocal(i))
            {
                servedHere++;
                continue;
            }
            final int hint = directHops[i] < MAX_HINT_HOPS ? table.hint(keys[i]) : -1;
            if (hint >= 0 && runtime.port().isMember(runtime.peer(hint)))
            {
                direct.computeIfAbsent(hint, h -> new IntArrayList()).addInt(i);
                continue;
            }
            final int partition = runtime.partitionOf(table.spec(), keys[i]);
            final UUID owner = runtime.port().partitionOwner(partition);
            if (owner == null)
            {
                later.addInt(i);
                continue;
            }
            if (needsHomeOp[i] || directHops[i] >= MAX_HINT_HOPS)
            {
                home.computeIfAbsent(owner, o -> new Int2ObjectHashMap<>())
                    .computeIfAbsent(partition, p -> new IntArrayList()).addInt(i);
            }
            else
            {
                direct.computeIfAbsent(runtime.peerIndex(owner), h -> new IntArrayList()).addInt(i);
            }
        }
        if (servedHere > 0)
        {
            answered(servedHere);
        }
        direct.forEach((peer, idx) -> sendDirect(runtime.peer(peer), idx));
        home.forEach((member, byPartition) -> sendHome(member, byPartition));
        if (!later.isEmpty())
        {
            retryLater(later);
        }
    }

    private boolean tryLocal(final int i)
    {
        switch (kind)
        {
            case DataRequest.PULL:
                return table.pullLocal(keys[i], out, positions[i] * length) != TableStore.NONE;
            case DataRequest.PUSH:
                // retries of one request may run on several I/O threads at once: no shared scratch
                final AddScratch scratch = new AddScratch(length);
                return deliversDelta ? table.pushMainLocal(keys[i], values, i * length, scratch) :
                    table.pushLocal(keys[i], values, i * length, scratch) != TableStore.NONE;
            case DataRequest.SET:
                return table.setLocal(keys[i], values, i * length);
            default:
                return table.holdsMain(keys[i]);
        }
    }

    private DataRequest subRequest(final IntArrayList idx)
    {
        final int n = idx.size();
        final long[] k = new long[n];
        final float[] v = values == null ? null : new float[n * length];
        for (int j = 0; j < n; j++)
        {
            final int i = idx.getInt(j);
            k[j] = keys[i];
            if (v != null)
            {
                System.arraycopy(values, i * length, v, j * length, length);
            }
        }
        final DataRequest request = new DataRequest(table.spec(), kind, k, v, null, null);
        counters.remoteOps.incrementAndGet();
        counters.bytesSent.addAndGet(request.payloadBytes());
        return request;
    }

    private void sendDirect(final UUID member, final IntArrayList idx)
    {
        final DataRequest request = subRequest(idx);
        runtime.port().direct(member, request).whenCompleteAsync((reply, error) ->
        {
            if (error != null)
            {
                onFailure(idx);
            }
            else
            {
                onReply(member, idx, reply, false);
            }
        }, runtime.executor());
    }

    private void sendHome(final UUID member, final Int2ObjectHashMap<IntArrayList> byPartition)
    {
        final int[] partitions = new int[byPartition.size()];
        final DataRequest[] requests = new DataRequest[partitions.length];
        final List<IntArrayList> groups = new ArrayList<>(partitions.length);
        int p = 0;
        for (final Int2ObjectHashMap<IntArrayList>.EntryIterator it = byPartition.entrySet().iterator(); it.hasNext(); p++)
        {
            it.next();
            partitions[p] = it.getIntKey();
            requests[p] = subRequest(it.getValue());
            groups.add(it.getValue());
        }
        counters.remoteOps.addAndGet(1 - partitions.length);
        runtime.port().home(member, partitions, requests).whenCompleteAsync((replies, error) ->
        {
            for (int j = 0; j < partitions.length; j++)
            {
                if (error != null || replies[j] == null)
                {
                    onFailure(groups.get(j));
                }
                else
                {
                    onReply(member, groups.get(j), replies[j], true);
                }
            }
        }, runtime.executor());
    }

    private void onFailure(final IntArrayList idx)
    {
        for (int j = 0; j < idx.size(); j++)
        {
            table.setHint(keys[idx.getInt(j)], -1);
        }
        retryLater(idx);
    }

    private void onReply(final UUID member, final IntArrayList idx, final DataReply reply, final boolean fromHome)
    {
        counters.bytesReceived.addAndGet(reply.payloadBytes());
        final int memberPeer = runtime.peerIndex(member);
        final IntArrayList again = new IntArrayList();
        int served = 0;
        for (int j = 0; j < idx.size(); j++)
        {
            final int i = idx.getInt(j);
            final long key = keys[i];
            switch (reply.status[j])
            {
                case DataReply.SERVED:
                    served++;
                    if (kind == DataRequest.PULL)
                    {
                        System.arraycopy(reply.values, j * length, out, positions[i] * length, length);
                        table.setHint(key, memberPeer);
                        table.remoteCompleted(key, kind, reply.versions[j], out, positions[i] * length);
                    }
                    else if (kind == DataRequest.LOCALIZE)
                    {
                        table.install(key, reply.values, j * length, reply.counters[j], reply.versions[j]);
                        runtime.countRelocationIn(1);
                        synchronized (this)
                        {
                            localizedKeys.add(key);
                            localizedCounters.add(reply.counters[j]);
                        }
                    }
                    else
                    {
                        table.setHint(key, memberPeer);
                        if (!deliversDelta)
                        {
                            table.remoteCompleted(key, kind, reply.versions[j], values, i * length);
                        }
                    }
                    break;
                case DataReply.MISS:
                    final UUID hint = reply.hint(j);
                    final boolean useful = hint != null && !hint.equals(member) && !hint.equals(runtime.self());
                    table.setHint(key, useful ? runtime.peerIndex(hint) : -1);
                    directHops[i] = fromHome ? 0 : (byte)Math.min(MAX_HINT_HOPS, directHops[i] + 1);
                    needsHomeOp[i] = !fromHome && !useful &&
                        member.equals(runtime.port().partitionOwner(runtime.partitionOf(table.spec(), key)));
                    again.addInt(i);
                    break;
                default:
                    again.addInt(i);
                    break;
            }
        }
        if (served > 0)
        {
            answered(served);
        }
        if (!again.isEmpty())
        {
            retryLater(again);
        }
    }

    private void retryLater(final IntArrayList idx)
    {
        if (System.nanoTime() > deadlineNanos)
        {
            future.completeExceptionally(new IllegalStateException("table '" + table.spec().name() + "': " +
                DataRequest.kindName(kind) + " of key " + keys[idx.getInt(0)] + " (and " + (idx.size() - 1) +
                " more) not answered within " + runtime.config().requestTimeoutMillis() + " ms"));
            return;
        }
        int maxAttempts = 0;
        for (int j = 0; j < idx.size(); j++)
        {
            maxAttempts = Math.max(maxAttempts, ++attempts[idx.getInt(j)]);
        }
        final long delayMicros = maxAttempts <= BACKOFF_AFTER ? 0 :
            Math.min(MAX_BACKOFF_MICROS, 50L << Math.min(10, maxAttempts - BACKOFF_AFTER));
        if (delayMicros == 0)
        {
            runtime.executor().execute(() -> dispatch(idx, true));
        }
        else
        {
            runtime.executor().schedule(() -> dispatch(idx, true), delayMicros, TimeUnit.MICROSECONDS);
        }
    }

    private void answered(final int count)
    {
        final boolean complete;
        synchronized (this)
        {
            remaining -= count;
            complete = remaining == 0;
        }
        if (!complete)
        {
            return;
        }
        if (kind == DataRequest.LOCALIZE && localizedKeys.size() > 0)
        {
            runtime.sendNotices(table.spec(), localizedKeys.toArray(), localizedCounters.toArray(), runtime.self(),
                deadlineNanos).whenComplete((v, e) ->
                {
                    if (e != null)
                    {
                        future.completeExceptionally(e);
                    }
                    else
                    {
                        future.complete(null);
                    }
                });
        }
        else
        {
            future.complete(null);
        }
    }

    @Override
    public void await()
    {
        try
        {
            future.get();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + DataRequest.kindName(kind), e);
        }
        catch (final ExecutionException e)
        {
            throw failure(e.getCause());
        }
    }

    @Override
    public boolean await(final long timeout, final TimeUnit unit)
    {
        try
        {
            future.get(timeout, unit);
            return true;
        }
        catch (final TimeoutException e)
        {
            return false;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + DataRequest.kindName(kind), e);
        }
        catch (final ExecutionException e)
        {
            throw failure(e.getCause());
        }
    }

    private static RuntimeException failure(final Throwable cause)
    {
        final Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        return c instanceof RuntimeException ? (RuntimeException)c : new IllegalStateException(c);
    }

    @Override
    public boolean isDone()
    {
        return future.isDone();
    }

    @Override
    public CompletableFuture<Void> toCompletableFuture()
    {
        return future;
    }

    /** A growable long array: localize answers arrive on several threads, each under this request's lock. */
    private static final class LongArrayBuilder
    {
        private long[] items = new long[8];
        private int size;

        void add(final long value)
        {
            if (size == items.length)
            {
                items = java.util.Arrays.copyOf(items, size * 2);
            }
            items[size++] = value;
        }

        int size()
        {
            return size;
        }

        long[] toArray()
        {
            return java.util.Arrays.copyOf(items, size);
        }
    }
}
