package org.intentgrid.internal;

import org.intentgrid.TableSpec;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The origin's side of main-copy backups: every flush interval, sends the main copies that changed since the last
 * flush (their current values, not deltas: a hot key costs one value per flush however often it is pushed) and the
 * keys that left, to this member's backup holder, the next member in the cluster's member list.
 * <p>
 * Workers only mark changed slots ({@link SlotMemory#markDirty}); a flush takes the marks stripe by stripe under
 * each stripe's lock. When the holder changes (membership) or a flush fails, the next flush is a full resync: the
 * new holder first forgets what it held of this member, then gets every main copy that differs from its
 * initializer (a pristine key is recreated from the initializer after a crash anyway); the previous holder, if
 * still there, is told to forget this member. Messages go one at a time, each waiting for its answer, so the holder
 * applies them in order.
 * <p>
 * Flushes are numbered. An owner answers a remote push or a replica delta at once, naming the flush that will
 * carry it ({@link #pendingFlush}) and the last flush completed ({@link #completedFlush}); the requester keeps the
 * update until a later answer shows that flush completed, and sends it again if this member is lost first
 * ({@link UnconfirmedUpdates}). Rarer updates from other members — sets and adopted main copies — are answered only
 * once a flush that started after them completed ({@link #afterNextFlush}); such a flush runs at once rather than
 * at the next interval. Main copies moved in are confirmed to their old owners after the next periodic flush
 * ({@link #nextFlush}): their old owners keep them meanwhile ({@link HandedOver}), and nothing waits.
 * <p>
 * Runs on the member's backup thread, one flush at a time: a flush waits for the holder's answers, up to the
 * request timeout when the holder is frozen or cut off, and the I/O threads must go on completing requests
 * meanwhile.
 */
final class BackupFlusher
{
    /**
     * The shortest gap between the end of one flush and an early one: sets may ask for a flush many times a
     * millisecond, and a flush visits every stripe of every table, so early flushes run at most 100 times
     * a second (each carries everything that changed meanwhile).
     */
    private static final long EARLY_FLUSH_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * The gap after a periodic flush is at least this many times as long as the flush took, so that flushing takes
     * at most about 5% of the member's time: where nearly every main copy changes within an interval (kge), a
     * flush ships the whole model, and at a flush per 100 ms the flush, its transfer and the holder's store took
     * 0.7 CPU seconds per second of the workers' own on the 2-core machine.
     */
    static final long GAP_PER_FLUSH_TIME = 19;
    /** A stretched gap is at most this many flush intervals: a crash loses at most the member's updates of that. */
    static final long MAX_STRETCH = 10;

    private final MemberRuntime runtime;
    private final UUID self;
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong keysFlushed = new AtomicLong();
    private final AtomicLong bytesFlushed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicBoolean flushRequested = new AtomicBoolean();
    private final Object gates = new Object();
    /** Completed by the next flush to start; null until someone waits for it. Guarded by {@link #gates}. */
    private CompletableFuture<Void> nextGate;
    /** Guards scheduling apart from flushing, so that stopping never waits for a flush stuck on a silent holder. */
    private final Object scheduling = new Object();
    private volatile ScheduledExecutorService executor;
    private ScheduledFuture<?> task;
    /** The configured flush interval; 0 while not scheduled. Guarded by {@link #scheduling}. */
    private long intervalNanos;
    private volatile long lastGapNanos;
    /**
     * Number of the flush running or last run; raised before the flush looks at any stripe, so an update applied
     * before a reader saw number N is in flush N + 1 at the latest.
     */
    private volatile long started;
    private volatile long completed;
    private volatile long lastFlushEndNanos;
    /** The member that holds everything flushed so far; null before the first complete flush. Guarded by this. */
    private UUID holder;
    private boolean resync = true;

    BackupFlusher(final MemberRuntime runtime)
    {
        this.runtime = runtime;
        this.self = runtime.self();
    }

    /**
     * Flushes every {@code millis} from now on, on {@code executor}; after a long flush the gap stretches
     * ({@link #gapAfter}).
     */
    void schedule(final ScheduledExecutorService executor, final long millis)
    {
        synchronized (scheduling)
        {
            if (task != null)
            {
                task.cancel(false);
            }
            this.executor = executor;
            intervalNanos = TimeUnit.MILLISECONDS.toNanos(millis);
            lastGapNanos = intervalNanos;
            task = executor.schedule(this::periodicFlush, intervalNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops flushing; answers still waiting for a flush go out (the member hands its keys off or is gone). */
    void stop()
    {
        synchronized (scheduling)
        {
            intervalNanos = 0;
            if (task != null)
            {
                task.cancel(false);
            }
        }
        final CompletableFuture<Void> waiting = takeGate();
        if (waiting != null)
        {
            waiting.complete(null);
        }
    }

    /**
     * @return completes once a flush that starts after this call has reached the backup holder (at once if there
     *         is no holder); that flush is started now
     */
    CompletableFuture<Void> afterNextFlush()
    {
        final CompletableFuture<Void> gate = nextFlush();
        flushSoon();
        return gate;
    }

    /**
     * @return completes once a flush that starts after this call has reached the backup holder (at once if there
     *         is no holder), be it the next periodic one: for what can wait an interval, so that it adds no flush
     */
    CompletableFuture<Void> nextFlush()
    {
        synchronized (gates)
        {
            if (nextGate == null)
            {
                nextGate = new CompletableFuture<>();
            }
            return nextGate;
        }
    }

    /**
     * Starts a flush now rather than at the next interval: someone waits for it (a set's or an adoption's answer), or
     * this member lost its holder and nothing it holds is protected until a new one has it.
     */
    void flushSoon()
    {
        final ScheduledExecutorService runner = executor;
        if (runner != null && flushRequested.compareAndSet(false, true))
        {
            final long wait = lastFlushEndNanos + EARLY_FLUSH_GAP_NANOS - System.nanoTime();
            try
            {
                runner.schedule(this::flushQuietly, Math.max(0, wait), TimeUnit.NANOSECONDS);
            }
            catch (final RejectedExecutionException e)
            {
                // this member is shutting down (a cluster that stops removes its members one by one): no flush is due
                flushRequested.set(false);
            }
        }
    }

    private CompletableFuture<Void> takeGate()
    {
        synchronized (gates)
        {
            final CompletableFuture<Void> gate = nextGate;
            nextGate = null;
            return gate;
        }
    }

    /** A flush failed: whoever waited for it waits for the next one. */
    private void carryOver(final CompletableFuture<Void> gate)
    {
        if (gate == null)
        {
            return;
        }
        final CompletableFuture<Void> next;
        synchronized (gates)
        {
            if (nextGate == null)
            {
                nextGate = gate;
                return;
            }
            next = nextGate;
        }
        next.whenComplete((done, error) -> gate.complete(null));
    }

    /**
     * @return the number of the flush that will carry an update applied before this call (0: backups are off, the
     *         update needs no confirmation)
     */
    long pendingFlush()
    {
        // not "0 while this member has no holder": a remote update comes from a member that can be the holder by the
        // next flush, and until that flush completes a crash here would lose the update unless its requester kept it
        if (runtime.config().backups() == 0)
        {
            return 0;
        }
        return started + 1;
    }

    /** @return the number of the last flush that reached the backup holder */
    long completedFlush()
    {
        return completed;
    }

    /** @return the member after {@code member} in {@code members} (cyclically), or null if it is alone or absent */
    static UUID successor(final List<UUID> members, final UUID member)
    {
        final int at = members.indexOf(member);
        if (at < 0 || members.size() < 2)
        {
            return null;
        }
        return members.get((at + 1) % members.size());
    }

    private void periodicFlush()
    {
        final long start = System.nanoTime();
        flushQuietly();
        final long took = System.nanoTime() - start;
        synchronized (scheduling)
        {
            if (intervalNanos > 0)
            {
                final long gap = gapAfter(took, intervalNanos);
                lastGapNanos = gap;
                task = executor.schedule(this::periodicFlush, gap, TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * @return the gap after a periodic flush that took {@code flushNanos}: the interval, or {@link #GAP_PER_FLUSH_TIME}
     *         times the flush's time if longer, but at most {@link #MAX_STRETCH} intervals
     */
    static long gapAfter(final long flushNanos, final long intervalNanos)
    {
        return Math.min(MAX_STRETCH * intervalNanos, Math.max(intervalNanos, GAP_PER_FLUSH_TIME * flushNanos));
    }

    /** @return the gap between the last periodic flush and the next (the interval, or stretched after a long flush) */
    long lastGapMillis()
    {
        return TimeUnit.NANOSECONDS.toMillis(lastGapNanos);
    }

    private void flushQuietly()
    {
        flushRequested.set(false);
        try
        {
            flush();
        }
        catch (final RuntimeException e)
        {
            failures.incrementAndGet();
        }
    }

    /**
     * Sends what changed since the last flush to the backup holder and waits for its answers.
     *
     * @throws IllegalStateException if the holder did not answer (the next flush resyncs it, or a new one)
     */
    synchronized void flush()
    {
        final CompletableFuture<Void> gate = takeGate();
        final long number = started + 1;
        started = number;
        try
        {
            flushTo(runtime.config().backups() == 0 ? null : successor(runtime.router().port().members(), self));
        }
        catch (final RuntimeException e)
        {
            carryOver(gate);
            throw e;
        }
        finally
        {
            lastFlushEndNanos = System.nanoTime();
        }
        completed = number;
        if (gate != null)
        {
            gate.complete(null);
        }
    }

    private void flushTo(final UUID target)
    {
        if (target == null)
        {
            holder = null;
            resync = true;
            for (final TableStore table : runtime.tables().all())
            {
                table.dropBackupNotes();
            }
            return;
        }
        final boolean all = resync || !target.equals(holder);
        resync = true;
        long keys = 0;
        for (final TableStore table : runtime.tables().all())
        {
            if (table.isDropped())
            {
                continue;
            }
            final TableSpec spec = table.spec();
            final BackupBatch batch = new BackupBatch(table.valueLength());
            boolean first = true;
            for (int stripe = 0; stripe < table.stripeCount(); )
            {
                stripe = table.collectBackup(stripe, all, batch);
                if (all)
                {
                    // the holder starts from nothing: departures are moot
                    batch.left.clear();
                }
                else if (!batch.left.isEmpty())
                {
                    send(target, batch.departures(spec));
                }
                if (all && first)
                {
                    send(target, batch.copies(spec, RequestKind.BACKUP_RESET));
                    first = false;
                }
                else if (batch.hasCopies())
                {
                    send(target, batch.copies(spec, RequestKind.BACKUP));
                }
                keys += batch.size();
                batch.clear();
            }
        }
        if (all)
        {
            // only now may the previous holder forget this member: until the new one has everything, a crash here
            // is recovered from the previous holder's complete copy
            send(target, new DataRequest(null, RequestKind.BACKUP_COMPLETE, new long[0], null, null, null));
            if (holder != null && !holder.equals(target) && runtime.router().port().isMember(holder))
            {
                release(holder);
            }
        }
        for (final TableStore table : runtime.tables().all())
        {
            table.backupFlushed();
        }
        holder = target;
        resync = false;
        flushes.incrementAndGet();
        keysFlushed.addAndGet(keys);
    }

    /** Tells a former holder to forget this member's backups (best effort: it forgets them when this member dies). */
    private void release(final UUID former)
    {
        for (final TableStore table : runtime.tables().all())
        {
            runtime.router().port().direct(former, new DataRequest(table.spec(), RequestKind.BACKUP_RESET,
                new long[0], new float[0], new long[0], null, new long[0]));
        }
    }

    private void send(final UUID target, final DataRequest request)
    {
        bytesFlushed.addAndGet(request.payloadBytes());
        final long timeout = runtime.config().requestTimeoutMillis();
        try
        {
            runtime.router().port().direct(target, request).get(timeout, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("backup flush to " + target + " interrupted", e);
        }
        catch (final ExecutionException | TimeoutException e)
        {
            throw new IllegalStateException("backup flush to " + target + " failed: " + e, e);
        }
    }

    /** @return flushes completed */
    long flushes()
    {
        return flushes.get();
    }

    /** @return main copies sent to the holder, summed over flushes */
    long keysFlushed()
    {
        return keysFlushed.get();
    }

    /** @return payload bytes sent to the holder */
    long bytesFlushed()
    {
        return bytesFlushed.get();
    }

    /** @return flushes that failed (each followed by a full resync) */
    long failures()
    {
        return failures.get();
    }
}
