package org.intentgrid.intent;

import org.intentgrid.spi.DueIntentSink;
import org.intentgrid.spi.IntentPolicy;
import org.intentgrid.spi.Mode;
import org.intentgrid.spi.WorkerClockTable;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The AdaPM policy of one member: per-worker clocks and intent queues, an {@link ActionTimer} per worker,
 * and the owner's rule — replicate if the owner itself or another member intends the key, else relocate
 * it to the requester (in {@link Mode#ADAPTIVE}; the other modes fix the answer).
 * <p>
 * A key that already changed members {@code relocationLimit} times is replicated from where it is. Such a key is
 * wanted by several members, only not in the same round: relocating it each time costs a hand-over, a home notice
 * and two backups per move where a replica costs its deltas, and in kge (every entity is wanted by both members
 * within an epoch) the moves made adaptive slower than replicating everything.
 */
final class AdaptivePolicy implements IntentPolicy
{
    private final Mode mode;
    private final boolean actImmediately;
    private final long relocationLimit;
    private final WorkerClockTable clocks = new WorkerClockTable();
    private final AtomicReferenceArray<WorkerState> workers = new AtomicReferenceArray<>(WorkerClockTable.MAX_WORKERS);

    AdaptivePolicy(final Mode mode, final boolean actImmediately, final int relocationLimit)
    {
        if (relocationLimit < 0)
        {
            throw new IllegalArgumentException("relocationLimit must be >= 0, got " + relocationLimit);
        }
        this.mode = mode;
        this.actImmediately = actImmediately;
        this.relocationLimit = relocationLimit;
    }

    @Override
    public Mode mode()
    {
        return mode;
    }

    @Override
    public synchronized int registerWorker()
    {
        final int index = clocks.register();
        workers.set(index, new WorkerState());
        return index;
    }

    @Override
    public WorkerClockTable clocks()
    {
        return clocks;
    }

    @Override
    public void intent(final int worker, final Object table, final long[] keys, final long start, final long end)
    {
        workers.get(worker).queue.offer(new Intent(table, keys, start, end));
    }

    @Override
    public int collect(final long[] clockOut, final DueIntentSink sink, final boolean roundStart)
    {
        // a worker registered after the caller sized clockOut is collected from the next round on
        final int n = Math.min(clocks.count(), clockOut.length);
        int handed = 0;
        for (int w = 0; w < n; w++)
        {
            final long clock = clocks.clock(w);
            clockOut[w] = clock;
            final WorkerState state = workers.get(w);
            if (state == null)
            {
                continue;
            }
            // the timer runs with act-immediately too: its window also tells brief intents from lasting ones
            final long timed = roundStart ? state.timer.window(clock) : state.timer.currentWindow();
            final long window = actImmediately ? Long.MAX_VALUE : timed;
            final long horizon = clock > Long.MAX_VALUE - window ? Long.MAX_VALUE : clock + window;
            state.takeArrived();
            Intent due;
            while ((due = state.earliestPending()) != null && due.start <= horizon)
            {
                state.removeEarliest(due);
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
    public long actionWindow(final int worker)
    {
        final WorkerState state = workers.get(worker);
        return state == null ? 0 : state.timer.currentWindow();
    }

    @Override
    public boolean replicate(
        final boolean ownerHasIntent, final boolean othersInterested, final boolean briefUse, final long timesMoved)
    {
        switch (mode)
        {
            case ADAPTIVE:
                return ownerHasIntent || othersInterested || briefUse || timesMoved >= relocationLimit;
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
        final int n = clocks.count();
        for (int w = 0; w < n; w++)
        {
            final WorkerState state = workers.get(w);
            if (state == null)
            {
                continue;
            }
            sb.append(String.format(" | worker %d clock %d, %.1f clocks/round, %d intents waiting", w, clocks.clock(w),
                state.timer.estimate(), state.pendingCount() + state.queue.size()));
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

    /**
     * A worker's queue (written by the worker), its pending intents by start and its timer (sync thread only).
     * <p>
     * Workers mostly intend in the order of their start clocks (kge and w2v plan a fixed number of steps ahead), so
     * pending intents that arrive in order wait in a FIFO and only the others in a heap: with every intent in one
     * heap of kge's ~8,000 pending ones, the comparisons of each removal took 6% of the sync thread.
     */
    private static final class WorkerState
    {
        final ConcurrentLinkedQueue<Intent> queue = new ConcurrentLinkedQueue<>();
        final ActionTimer timer = new ActionTimer();
        private final ArrayDeque<Intent> inOrder = new ArrayDeque<>();
        private final PriorityQueue<Intent> outOfOrder = new PriorityQueue<>(Comparator.comparingLong(i -> i.start));

        /** Moves what the worker queued since the last call to the pending intents. */
        void takeArrived()
        {
            Intent arrived;
            while ((arrived = queue.poll()) != null)
            {
                final Intent last = inOrder.peekLast();
                if (last == null || arrived.start >= last.start)
                {
                    inOrder.addLast(arrived);
                }
                else
                {
                    outOfOrder.add(arrived);
                }
            }
        }

        /** @return the pending intent with the earliest start, or null */
        Intent earliestPending()
        {
            final Intent fifo = inOrder.peekFirst();
            final Intent heap = outOfOrder.peek();
            return heap == null || fifo != null && fifo.start <= heap.start ? fifo : heap;
        }

        /** Removes {@code earliest}, as {@link #earliestPending()} returned it. */
        void removeEarliest(final Intent earliest)
        {
            if (inOrder.peekFirst() == earliest)
            {
                inOrder.pollFirst();
            }
            else
            {
                outOfOrder.poll();
            }
        }

        int pendingCount()
        {
            return inOrder.size() + outOfOrder.size();
        }
    }
}
