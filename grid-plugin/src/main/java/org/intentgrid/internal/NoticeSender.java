package org.intentgrid.internal;

import org.agrona.collections.IntArrayList;
import org.intentgrid.TableSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells the homes of keys that a member took their main copies over (after a localize, a relocate decision or a
 * hand-off): one home operation per home member, each served on the partitions' threads, retried where a
 * partition was moving until a deadline.
 */
final class NoticeSender
{
    private final Router router;
    private final ScheduledExecutorService executor;

    NoticeSender(final Router router, final ScheduledExecutorService executor)
    {
        this.router = router;
        this.executor = executor;
    }

    /**
     * Tells the homes of {@code keys} that {@code owner} holds them with the given counters.
     *
     * @return completes once every home has recorded it; fails if some could not be reached by the deadline
     */
    CompletableFuture<Void> send(
        final TableSpec spec, final long[] keys, final long[] counters, final UUID owner, final long deadlineNanos)
    {
        return send(spec, keys, counters, owner, deadlineNanos, 1);
    }

    private CompletableFuture<Void> send(
        final TableSpec spec, final long[] keys, final long[] counters, final UUID owner, final long deadlineNanos,
        final int attempt)
    {
        final Router.HomeGroups groups = new Router.HomeGroups();
        final IntArrayList retry = new IntArrayList();
        for (int i = 0; i < keys.length; i++)
        {
            final int partition = router.partitionOf(spec, keys[i]);
            final UUID home = router.homeOf(partition);
            if (home == null)
            {
                retry.addInt(i);
            }
            else
            {
                groups.add(home, partition, i);
            }
        }
        final List<CompletableFuture<Void>> parts = new ArrayList<>();
        groups.forEachMember(group ->
        {
            final DataRequest[] requests = new DataRequest[group.partitions().length];
            for (int p = 0; p < requests.length; p++)
            {
                final IntArrayList indexes = group.indexes()[p];
                final long[] k = new long[indexes.size()];
                final long[] c = new long[k.length];
                for (int j = 0; j < k.length; j++)
                {
                    k[j] = keys[indexes.getInt(j)];
                    c[j] = counters[indexes.getInt(j)];
                }
                requests[p] = new DataRequest(spec, RequestKind.NOTICE, k, null, c, owner);
            }
            parts.add(router.port().home(group.member(), group.partitions(), requests).handle((replies, error) ->
            {
                synchronized (retry)
                {
                    for (int p = 0; p < requests.length; p++)
                    {
                        if (error != null || replies[p] == null)
                        {
                            retry.addAll(group.indexes()[p]);
                        }
                    }
                }
                return null;
            }));
        });
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenComposeAsync(
            ignored -> retry(spec, keys, counters, owner, deadlineNanos, attempt, retry), executor);
    }

    private CompletableFuture<Void> retry(
        final TableSpec spec, final long[] keys, final long[] counters, final UUID owner, final long deadlineNanos,
        final int attempt, final IntArrayList retry)
    {
        if (retry.isEmpty())
        {
            return CompletableFuture.completedFuture(null);
        }
        if (System.nanoTime() > deadlineNanos)
        {
            return CompletableFuture.failedFuture(new IllegalStateException("table '" + spec.name() + "': " +
                retry.size() + " ownership notices could not reach their home before the deadline"));
        }
        final long[] k = new long[retry.size()];
        final long[] c = new long[k.length];
        for (int j = 0; j < k.length; j++)
        {
            k[j] = keys[retry.getInt(j)];
            c[j] = counters[retry.getInt(j)];
        }
        final CompletableFuture<Void> next = new CompletableFuture<>();
        executor.schedule(() -> send(spec, k, c, owner, deadlineNanos, attempt + 1).whenComplete((v, e) ->
        {
            if (e != null)
            {
                next.completeExceptionally(e);
            }
            else
            {
                next.complete(null);
            }
        }), Router.retryDelayMicros(attempt), TimeUnit.MICROSECONDS);
        return next;
    }
}
