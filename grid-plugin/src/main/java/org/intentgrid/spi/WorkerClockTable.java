package org.intentgrid.spi;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The clocks of a member's workers, for policies to share: each worker advances its own clock; any thread
 * may read any clock. A finished worker's clock is {@link Long#MAX_VALUE}, so its intents count as expired.
 */
public final class WorkerClockTable
{
    /** Most workers one member can register. */
    public static final int MAX_WORKERS = 4096;

    private final AtomicLongArray clocks = new AtomicLongArray(MAX_WORKERS);
    private volatile int count;

    /** @return the index of a new worker, whose clock starts at 0 */
    public synchronized int register()
    {
        final int index = count;
        if (index == MAX_WORKERS)
        {
            throw new IllegalStateException("at most " + MAX_WORKERS + " workers per member");
        }
        count = index + 1;
        return index;
    }

    /** Marks the worker finished. */
    public void finish(final int worker)
    {
        clocks.set(worker, Long.MAX_VALUE);
    }

    /** @return the worker's clock */
    public long clock(final int worker)
    {
        return clocks.get(worker);
    }

    /** @return the worker's clock after advancing it by one */
    public long advance(final int worker)
    {
        return clocks.incrementAndGet(worker);
    }

    /** @return number of workers registered so far */
    public int count()
    {
        return count;
    }
}
