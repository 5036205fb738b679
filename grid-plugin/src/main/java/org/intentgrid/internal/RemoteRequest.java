package org.intentgrid.internal;

import org.intentgrid.OffHeapExhaustedException;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.intentgrid.OpHandle;

import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The keys of one worker call that were not local, on their way to the members holding their main copies.
 * <p>
 * Keys are grouped into one request per destination member, routed by the {@link Router}: straight to the
 * member a route hint names, else straight to the key's home member, which usually holds it or knows from its
 * directory who does. Only a key that its home has never materialized, or one that keeps missing, goes through
 * the home's partition thread (the only place keys are created and ownership records change). Each answer says
 * per key "served" or "not here, try X"; misses are re-sent, so a key may take several hops while it moves, and
 * the request completes when every key has been served exactly once.
 * <p>
 * Each key's route is a small state machine ({@link Stage}): a miss from a direct request counts a hop and
 * stays with hints until {@link Router#MAX_HINT_HOPS} hops in a row or until its home member itself has no
 * better hint; then the home partition's answer starts the hint trail afresh. Retries follow
 * {@link Router#retryDelayMicros}. Answers are handled on the member's I/O threads, under this request's lock
 * where they share state.
 */
public final class RemoteRequest implements OpHandle
{
    /** Where the next attempt for one key goes. */
    enum Stage
    {
        /** To the member the key's route hint names if it is live, else straight to the home member. */
        FOLLOW_HINT,
        /** To the home partition's thread, which may create the key or knows its owner. */
        ASK_HOME_PARTITION
    }

    /**
     * The longest a key waits for its sync answer before it is fetched remotely: a round trip on a loaded
     * 2-core machine takes 1-20 ms, and the answer was sent before the request was made.
     */
    static final long ARRIVAL_WAIT_MICROS = 20_000;

    private final MemberRuntime runtime;
    private final Router router;
    private final TableStore table;
    private final RequestKind kind;
    private final long[] keys;
    private final int[] positions;
    private final float[] values;
    private final float[] out;
    private final WorkerCounters counters;
    private final boolean deliversDelta;
    /** A push or a set: a checkpoint's sync waits for it ({@link MemberRuntime#updateInFlight}). */
    private final boolean updates;
    /** The same in every retry: an owner applies each key's update of this request once. */
    private final long requestId;
    private final int[] attempts;
    /** Per key: waiting for its sync answer to arrive here (guarded by this request's lock). */
    private final boolean[] awaitingArrival;
    private final byte[] hops;
    /** Per key of a localize: {@link ReplicaStore#beginLocalize} was called (guarded by this request's lock). */
    private final boolean[] localizeBegun;
    private final Stage[] stages;
    private final int length;
    private final long deadlineNanos;
    private final CompletableFuture<Void> future = new CompletableFuture<>();
    private int remaining;
    private final LongArrayList localizedKeys = new LongArrayList();
    private final LongArrayList localizedCounters = new LongArrayList();
    /** What the last attempt that did not serve a key met, for the timeout's message: where a key got stuck. */
    private volatile Setback lastSetback;

    /**
     * @param keys      the non-local keys
     * @param positions for each key, its index in the caller's key array (where its values are in {@code out})
     * @param values    for push and set, {@code valueLength} floats per non-local key, in {@code keys} order
     * @param out       for pull, the caller's value array
     */
    RemoteRequest(
        final MemberRuntime runtime, final TableStore table, final RequestKind kind, final long[] keys,
        final int[] positions, final float[] values, final float[] out, final WorkerCounters counters)
    {
        this(runtime, table, kind, keys, positions, values, out, counters, false, runtime.nextRequestId());
    }

    /**
     * A push that delivers a replica delta which missed its owner: it may only be applied to a main copy (the
     * replica it came from already holds it) and is not reflected back.
     *
     * @param requestId the id of the sync message the delta left in, so that an owner that merged it from that
     *                  message (and whose answer was lost) does not apply it again
     */
    RemoteRequest(
        final MemberRuntime runtime, final TableStore table, final RequestKind kind, final long[] keys,
        final int[] positions, final float[] values, final float[] out, final WorkerCounters counters,
        final long requestId)
    {
        this(runtime, table, kind, keys, positions, values, out, counters, true, requestId);
    }

    private RemoteRequest(
        final MemberRuntime runtime, final TableStore table, final RequestKind kind, final long[] keys,
        final int[] positions, final float[] values, final float[] out, final WorkerCounters counters,
        final boolean deliversDelta, final long requestId)
    {
        this.requestId = requestId;
        this.deliversDelta = deliversDelta;
        this.runtime = runtime;
        this.router = runtime.router();
        this.table = table;
        this.kind = kind;
        this.updates = kind == RequestKind.PUSH || kind == RequestKind.SET;
        final long[] unique = updates ? uniqueKeys(keys) : keys;
        this.keys = unique;
        this.positions = unique == keys ? positions : new int[unique.length];
        this.values = unique == keys ? values : coalesce(keys, values, unique, kind, table.valueLength());
        this.out = out;
        this.counters = counters;
        this.attempts = new int[unique.length];
        this.awaitingArrival = new boolean[unique.length];
        this.hops = new byte[unique.length];
        this.localizeBegun = kind == RequestKind.LOCALIZE ? new boolean[unique.length] : null;
        this.stages = new Stage[unique.length];
        Arrays.fill(stages, Stage.FOLLOW_HINT);
        this.length = table.valueLength();
        this.remaining = unique.length;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runtime.config().requestTimeoutMillis());
    }

    /**
     * @return {@code keys} if no key occurs twice, else each key once, in order of first occurrence: an owner applies
     *         an update once per (request id, key), so a key's updates in one call travel as one
     */
    private static long[] uniqueKeys(final long[] keys)
    {
        final LongHashSet seen = new LongHashSet(keys.length);
        final LongArrayList unique = new LongArrayList(keys.length, -1);
        for (final long key : keys)
        {
            if (seen.add(key))
            {
                unique.addLong(key);
            }
        }
        return unique.size() == keys.length ? keys : unique.toLongArray();
    }

    /** @return one value per unique key: the sum of its pushes, or the last of its sets (as if applied in order) */
    private static float[] coalesce(
        final long[] keys, final float[] values, final long[] unique, final RequestKind kind, final int length)
    {
        final Long2LongHashMap indexOf = new Long2LongHashMap(unique.length, 0.65f, -1);
        for (int u = 0; u < unique.length; u++)
        {
            indexOf.put(unique[u], u);
        }
        final float[] combined = new float[unique.length * length];
        for (int i = 0; i < keys.length; i++)
        {
            final int at = (int)indexOf.get(keys[i]) * length;
            for (int e = 0; e < length; e++)
            {
                combined[at + e] = kind == RequestKind.SET ? values[i * length + e] :
                    combined[at + e] + values[i * length + e];
            }
        }
        return combined;
    }

    /**
     * Sends the first round of requests. A pulled or pushed key that is on its way here already (a placeholder
     * whose refresh is in flight) waits for its sync answer instead, at most {@link #ARRIVAL_WAIT_MICROS}.
     */
    RemoteRequest start()
    {
        if (updates)
        {
            runtime.updateInFlight(future);
        }
        if (kind == RequestKind.LOCALIZE)
        {
            future.whenComplete((ignored, error) -> endLocalizes());
        }
        final IntArrayList all = new IntArrayList(keys.length, -1);
        int waiting = 0;
        final boolean mayWait = kind == RequestKind.PULL || (kind == RequestKind.PUSH && !deliversDelta);
        for (int i = 0; i < keys.length; i++)
        {
            if (mayWait && awaitArrival(i))
            {
                waiting++;
            }
            else
            {
                all.addInt(i);
            }
        }
        if (!all.isEmpty())
        {
            dispatch(all, false);
        }
        if (waiting > 0)
        {
            runtime.executor().schedule(this::stopWaitingForArrivals, ARRIVAL_WAIT_MICROS, TimeUnit.MICROSECONDS);
        }
        return this;
    }

    /**
     * Parks key {@code i} with its placeholder if a sync answer for it is in flight. The flag is raised first:
     * the answer may be applied, and {@link #arrived} called, before the store returns.
     */
    private boolean awaitArrival(final int i)
    {
        synchronized (this)
        {
            awaitingArrival[i] = true;
        }
        if (table.replicaStore().awaitArrival(keys[i], this, i))
        {
            return true;
        }
        synchronized (this)
        {
            awaitingArrival[i] = false;
        }
        return false;
    }

    /** The sync answer for key {@code i} was applied here: serve it locally if it is usable now, else remotely. */
    void arrived(final int i)
    {
        synchronized (this)
        {
            if (!awaitingArrival[i])
            {
                return;
            }
            awaitingArrival[i] = false;
        }
        final IntArrayList one = new IntArrayList(1, -1);
        one.addInt(i);
        dispatch(one, true);
    }

    /** A sync answer is late (or was lost with its round): keys still waiting for one are fetched remotely. */
    private void stopWaitingForArrivals()
    {
        final IntArrayList late = new IntArrayList();
        synchronized (this)
        {
            for (int i = 0; i < keys.length; i++)
            {
                if (awaitingArrival[i])
                {
                    awaitingArrival[i] = false;
                    late.addInt(i);
                }
            }
        }
        if (!late.isEmpty())
        {
            dispatch(late, true);
        }
    }

    private void dispatch(final IntArrayList indexes, final boolean retry)
    {
        final Int2ObjectHashMap<IntArrayList> direct = new Int2ObjectHashMap<>();
        final Router.HomeGroups home = new Router.HomeGroups();
        final IntArrayList later = new IntArrayList();
        int servedHere = 0;
        for (int j = 0; j < indexes.size(); j++)
        {
            final int i = indexes.getInt(j);
            if (kind == RequestKind.PULL && runtime.resending().contains(table.spec(), keys[i]))
            {
                // read your writes: wherever the key is, its value may still lack this member's re-sent update
                lastSetback = new Setback(Setback.Kind.WAIT, router.self(), keys[i], null, null);
                later.addInt(i);
                continue;
            }
            if (kind == RequestKind.PULL && runtime.readHolds().adoptions.contains(table.spec(), keys[i]))
            {
                // read your writes: the main copy adopted here may lack a delta of this member's replica on its way
                lastSetback = new Setback(Setback.Kind.DELTA_IN_FLIGHT, router.self(), keys[i], null, null);
                later.addInt(i);
                continue;
            }
            if (retry && tryLocal(i))
            {
                servedHere++;
                continue;
            }
            if (kind == RequestKind.LOCALIZE && !localizeMayGo(i))
            {
                lastSetback = new Setback(Setback.Kind.DELTA_IN_FLIGHT, router.self(), keys[i], null, null);
                later.addInt(i);
                continue;
            }
            final UUID hinted = stages[i] == Stage.FOLLOW_HINT ? router.livePeer(table.hint(keys[i])) : null;
            if (hinted != null)
            {
                direct.computeIfAbsent(router.peerIndex(hinted), h -> new IntArrayList()).addInt(i);
                continue;
            }
            final int partition = router.partitionOf(table.spec(), keys[i]);
            final UUID owner = router.homeOf(partition);
            if (owner == null)
            {
                later.addInt(i);
            }
            else if (stages[i] == Stage.ASK_HOME_PARTITION || owner.equals(router.self()))
            {
                // this member is the home and its store was just checked: only the partition thread knows more
                home.add(owner, partition, i);
            }
            else
            {
                direct.computeIfAbsent(router.peerIndex(owner), h -> new IntArrayList()).addInt(i);
            }
        }
        if (servedHere > 0)
        {
            answered(servedHere);
        }
        direct.forEach((peer, idx) -> sendDirect(router.peer(peer), idx));
        home.forEachMember(this::sendHome);
        if (!later.isEmpty())
        {
            retryLater(later);
        }
    }

    /** @return true if key {@code i} of this localize may be asked for now (see {@link ReplicaStore#beginLocalize}) */
    private boolean localizeMayGo(final int i)
    {
        synchronized (this)
        {
            if (!localizeBegun[i])
            {
                if (future.isDone())
                {
                    return false;
                }
                table.replicaStore().beginLocalize(keys[i]);
                localizeBegun[i] = true;
            }
        }
        return table.replicaStore().localizeMayGo(keys[i]);
    }

    private void endLocalizes()
    {
        synchronized (this)
        {
            for (int i = 0; i < keys.length; i++)
            {
                if (localizeBegun[i])
                {
                    localizeBegun[i] = false;
                    table.replicaStore().endLocalize(keys[i]);
                }
            }
        }
    }

    private boolean tryLocal(final int i)
    {
        switch (kind)
        {
            case PULL:
                return !runtime.pins().isPinned(table.spec(), keys[i]) &&
                    table.pullLocal(keys[i], out, positions[i] * length) != SlotState.ABSENT;
            case PUSH:
                // retries of one request may run on several I/O threads at once: no shared scratch
                return table.updateLocal(keys[i], values, i * length, new AddScratch(length), deliversDelta,
                    runtime.applied(), AppliedRequests.fingerprint(requestId, keys[i]));
            case SET:
                return table.updateLocal(keys[i], values, i * length, null, true, runtime.applied(),
                    AppliedRequests.fingerprint(requestId, keys[i]));
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
        final DataRequest request = new DataRequest(table.spec(), kind, k, v, null, null, null, requestId, null);
        counters.remoteOps.incrementAndGet();
        counters.bytesSent.addAndGet(request.payloadBytes());
        return request;
    }

    private void sendDirect(final UUID member, final IntArrayList idx)
    {
        final DataRequest request = subRequest(idx);
        router.port().direct(member, request).whenCompleteAsync((reply, error) ->
        {
            if (error != null)
            {
                onFailure(idx, member, error);
            }
            else
            {
                onReply(member, idx, reply, false);
            }
        }, runtime.executor());
    }

    private void sendHome(final Router.MemberGroup group)
    {
        final int[] partitions = group.partitions();
        final IntArrayList[] groups = group.indexes();
        final DataRequest[] requests = new DataRequest[partitions.length];
        for (int p = 0; p < partitions.length; p++)
        {
            requests[p] = subRequest(groups[p]);
        }
        counters.remoteOps.addAndGet(1 - partitions.length);
        router.port().home(group.member(), partitions, requests).whenCompleteAsync((replies, error) ->
        {
            for (int p = 0; p < partitions.length; p++)
            {
                if (error != null || replies[p] == null)
                {
                    onFailure(groups[p], group.member(), error);
                }
                else
                {
                    onReply(group.member(), groups[p], replies[p], true);
                }
            }
        }, runtime.executor());
    }

    private void onFailure(final IntArrayList idx, final UUID member, final Throwable error)
    {
        lastSetback = new Setback(Setback.Kind.NO_ANSWER, member, keys[idx.getInt(0)], null, error);
        for (int j = 0; j < idx.size(); j++)
        {
            table.setHint(keys[idx.getInt(j)], -1);
        }
        retryLater(idx);
    }

    private void onReply(final UUID member, final IntArrayList idx, final DataReply reply, final boolean fromHome)
    {
        counters.bytesReceived.addAndGet(reply.payloadBytes());
        runtime.unconfirmed().confirmed(member, reply.backupCompleted());
        final int memberPeer = router.peerIndex(member);
        final IntArrayList again = new IntArrayList();
        final LongArrayList movedIn = kind == RequestKind.LOCALIZE ? new LongArrayList() : null;
        final LongArrayList movedInCounters = kind == RequestKind.LOCALIZE ? new LongArrayList() : null;
        table.appliedMovedIn(reply.movedApplied(), runtime.applied());
        int served = 0;
        for (int j = 0; j < idx.size(); j++)
        {
            final int i = idx.getInt(j);
            final long key = keys[i];
            switch (reply.status[j])
            {
                case DataReply.SERVED:
                    served++;
                    if (kind == RequestKind.PULL)
                    {
                        System.arraycopy(reply.values, j * length, out, positions[i] * length, length);
                        table.setHint(key, memberPeer);
                        table.replicaStore().remoteCompleted(key, kind, reply.versions[j], out, positions[i] * length);
                    }
                    else if (kind == RequestKind.LOCALIZE)
                    {
                        table.install(key, reply.values, j * length, reply.counters[j], reply.versions[j]);
                        runtime.counters().relocationsIn.incrementAndGet();
                        movedIn.addLong(key);
                        movedInCounters.addLong(reply.counters[j]);
                        synchronized (this)
                        {
                            localizedKeys.addLong(key);
                            localizedCounters.addLong(reply.counters[j]);
                        }
                    }
                    else
                    {
                        if (kind == RequestKind.PUSH)
                        {
                            runtime.unconfirmed().keep(member, reply.backupFlush(), table, key, values, i * length,
                                requestId);
                        }
                        table.setHint(key, memberPeer);
                        if (!deliversDelta)
                        {
                            table.replicaStore().remoteCompleted(key, kind, reply.versions[j], values, i * length);
                        }
                    }
                    break;
                case DataReply.MISS:
                    onMiss(i, member, reply.hint(j), fromHome);
                    lastSetback = new Setback(fromHome ? Setback.Kind.MISS_AT_HOME : Setback.Kind.MISS, member, key,
                        reply.hint(j), null);
                    again.addInt(i);
                    break;
                case DataReply.FULL:
                    future.completeExceptionally(new OffHeapExhaustedException(reply.error()));
                    return;
                case DataReply.DROPPED:
                    future.completeExceptionally(new IllegalStateException(reply.error()));
                    return;
                default:
                    lastSetback = new Setback(Setback.Kind.WAIT, member, key, null, null);
                    again.addInt(i);
                    break;
            }
        }
        if (movedIn != null && !movedIn.isEmpty())
        {
            runtime.confirmHandOver(member, table.spec(), movedIn.toLongArray(), movedInCounters.toLongArray());
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

    /** One key missed at {@code member}: remember its hint and decide where the next attempt goes. */
    private void onMiss(final int i, final UUID member, final UUID hint, final boolean fromHome)
    {
        final boolean useful = hint != null && !hint.equals(member) && !hint.equals(router.self());
        table.setHint(keys[i], useful ? router.peerIndex(hint) : -1);
        if (fromHome)
        {
            hops[i] = 0;
            stages[i] = Stage.FOLLOW_HINT;
            return;
        }
        hops[i] = (byte)Math.min(Router.MAX_HINT_HOPS, hops[i] + 1);
        final boolean homeKnowsNoBetter = !useful &&
            member.equals(router.homeOf(router.partitionOf(table.spec(), keys[i])));
        stages[i] = hops[i] >= Router.MAX_HINT_HOPS || homeKnowsNoBetter ? Stage.ASK_HOME_PARTITION : Stage.FOLLOW_HINT;
    }

    private void retryLater(final IntArrayList idx)
    {
        if (System.nanoTime() > deadlineNanos)
        {
            future.completeExceptionally(new IllegalStateException("table '" + table.spec().name() + "': " +
                kind.label() + " of key " + keys[idx.getInt(0)] + " (and " + (idx.size() - 1) +
                " more) not answered within " + runtime.config().requestTimeoutMillis() + " ms; the last setback: " +
                describeSetback()));
            return;
        }
        int maxAttempts = 0;
        for (int j = 0; j < idx.size(); j++)
        {
            maxAttempts = Math.max(maxAttempts, ++attempts[idx.getInt(j)]);
        }
        final long delayMicros = Router.retryDelayMicros(maxAttempts);
        if (delayMicros == 0)
        {
            runtime.executor().execute(() -> dispatch(idx, true));
        }
        else
        {
            runtime.executor().schedule(() -> dispatch(idx, true), delayMicros, TimeUnit.MICROSECONDS);
        }
    }

    /** @return what the last attempt that did not serve a key met */
    private String describeSetback()
    {
        final Setback setback = lastSetback;
        return setback == null ? "none" : setback.describe();
    }

    /** An attempt that did not serve a key: what it met, where, for which key. */
    private record Setback(Kind kind, UUID member, long key, UUID hint, Throwable error)
    {
        enum Kind
        {
            NO_ANSWER, MISS, MISS_AT_HOME, WAIT, DELTA_IN_FLIGHT
        }

        String describe()
        {
            switch (kind)
            {
                case NO_ANSWER:
                    return "no answer from member " + member + " for key " + key +
                        (error == null ? " (its home partition moved)" : ": " + error);
                case WAIT:
                    return "member " + member + " asked to wait for key " + key;
                case DELTA_IN_FLIGHT:
                    return "key " + key + " waits for its replica's delta in flight to be answered";
                default:
                    return "key " + key + " not at member " + member +
                        (kind == Kind.MISS_AT_HOME ? " (its home)" : "") + ", which named " + hint;
            }
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
        if (kind == RequestKind.LOCALIZE && !localizedKeys.isEmpty())
        {
            runtime.notices().send(table.spec(), localizedKeys.toLongArray(), localizedCounters.toLongArray(),
                router.self(), deadlineNanos).whenComplete((v, e) ->
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
            // bounded: an attempt in flight at the deadline still gets half a timeout to answer, but a request whose
            // answers stopped coming (its member's runtime was shut down) must not hold its worker forever
            final long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(runtime.config().requestTimeoutMillis());
            future.get(Math.max(0, deadlineNanos + timeoutNanos / 2 - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException e)
        {
            final int unanswered;
            synchronized (this)
            {
                unanswered = remaining;
            }
            future.completeExceptionally(new IllegalStateException("table '" + table.spec().name() + "': " +
                kind.label() + " of " + unanswered + " key(s) got neither an answer nor a retry within 1.5 times " +
                "the request timeout of " + runtime.config().requestTimeoutMillis() + " ms; the last setback: " +
                describeSetback()));
            await();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + kind.label(), e);
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
            throw new IllegalStateException("interrupted while waiting for " + kind.label(), e);
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
}
