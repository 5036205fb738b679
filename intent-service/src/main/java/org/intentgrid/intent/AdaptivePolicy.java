package org.intentgrid.intent;

import org.intentgrid.spi.DueIntentSink;
import org.intentgrid.spi.IntentPolicy;
import org.intentgrid.spi.Mode;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The AdaPM policy of one member: per-worker clocks and intent queues, an {@link ActionTimer} per worker,
 * and the owner's rule — replicate if the owner itself or another member intends the key, else relocate
 * it to the requester (in {@link Mode#ADAPTIVE}; the other modes fix the answer).
 */
final class AdaptivePolicy implements IntentPolicy
{
    private static final int MAX_WORKERS = 4096;

    private final Mode mode;
    private final boolean actImmediately;
    private final AtomicLongArray clocks = new AtomicLongArray(MAX_WORKERS);
    private final WorkerState[] workers = new WorkerState[MAX_WORKERS];
    private volatile int workerCount;

    AdaptivePolicy(final Mode mode, final boolean actImmediately)
    {
        this.mode = mode;
        this.actImmediately = actImmediately;
    }

    @Override
    public Mode mode()
    {
        return mode;
    }

    @Override
    public synchronized int registerWorker()
    {
        final int index = workerCount;
        if (index == MAX_WORKERS)
        {
            throw new IllegalStateException("at most " + MAX_WORKERS + " workers per member");
        }
        workers[index] = new WorkerState();
        workerCount = index + 1;
        return index;
    }

    @Override
    public void finishWorker(final int worker)
    {
        clocks.set(worker, Long.MAX_VALUE);
    }

    @Override
    public long clock(final int worker)
    {
        return clocks.get(worker);
    }

    @Override
    public long advanceClock(final int worker)
    {
        return clocks.incrementAndGet(worker);
    }

    @Override
    public void intent(final int worker, final Object table, final long[] keys, final long start, final long end)
    {
        workers[worker].queue.offer(new Intent(table, keys, start, end));
    }

    @Override
    public int collect(final long[] clockOut, final DueIntentSink sink)
    {
        final int n = workerCount;
        int handed = 0;
        for (int w = 0; w < n; w++)
        {
            final long clock = clocks.get(w);
            clockOut[w] = clock;
            final WorkerState state = workers[w];
            final long window = actImmediately ? Long.MAX_VALUE : state.timer.window(clock);
            final long horizon = clock > Long.MAX_VALUE - window ? Long.MAX_VALUE : clock + window;
            Intent arrived;
            while ((arrived = state.queue.poll()) != null)
            {
                state.pending.add(arrived);
            }
            Intent due;
            while ((due = state.pending.peek()) != null && due.start <= horizon)
            {
                state.pending.poll();
                if (clock < due.end)
                {
                    for (final long key : due.keys)
                    {
                        sink.due(due.table, key, w, due.end);
                    }
                    handed += due.keys.length;
                }
            }
        }
        return handed;
    }

    @Override
    public int workerCount()
    {
        return workerCount;
    }

    @Override
    public boolean replicate(final boolean ownerHasIntent, final boolean othersInterested)
    {
        switch (mode)
        {
            case ADAPTIVE:
                return ownerHasIntent || othersInterested;
            case RELOCATION_ONLY:
                return false;
            default:
                return true;
        }
    }

    @Override
    public String describe()
    {
        final StringBuilder sb = new StringBuilder(mode.label()).append(actImmediately ? ", act immediately" : "");
        final int n = workerCount;
        for (int w = 0; w < n; w++)
        {
            final WorkerState state = workers[w];
            sb.append(String.format(" | worker %d clock %d, %.1f clocks/round, %d intents waiting", w, clocks.get(w),
                state.timer.estimate(), state.pending.size() + state.queue.size()));
        }
        return sb.toString();
    }

    /** One intent call as queued by a worker. */
    private static final class Intent
    {
        final Object table;
        final long[] keys;
        final long start;
        final long end;

        Intent(final Object table, final long[] keys, final long start, final long end)
        {
            this.table = table;
            this.keys = keys;
            this.start = start;
            this.end = end;
        }
    }

    /** A worker's queue (written by the worker), its pending intents by start and its timer (sync thread only). */
    private static final class WorkerState
    {
        final ConcurrentLinkedQueue<Intent> queue = new ConcurrentLinkedQueue<>();
        final PriorityQueue<Intent> pending = new PriorityQueue<>(Comparator.comparingLong(i -> i.start));
        final ActionTimer timer = new ActionTimer();
    }
}
