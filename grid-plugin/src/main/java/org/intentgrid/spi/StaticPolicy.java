package org.intentgrid.spi;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The policy used when no {@link IntentPolicyProvider} is on the classpath, or in {@link Mode#STATIC}:
 * clocks are kept (workers may still call {@code advanceClock}), intents are accepted and ignored.
 */
public final class StaticPolicy implements IntentPolicy
{
    private static final int MAX_WORKERS = 4096;

    private final AtomicLongArray clocks = new AtomicLongArray(MAX_WORKERS);
    private int workers;

    @Override
    public Mode mode()
    {
        return Mode.STATIC;
    }

    @Override
    public synchronized int registerWorker()
    {
        if (workers == MAX_WORKERS)
        {
            throw new IllegalStateException("at most " + MAX_WORKERS + " workers per member");
        }
        return workers++;
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
    }

    @Override
    public int collect(final long[] clocks, final DueIntentSink sink)
    {
        return 0;
    }

    @Override
    public synchronized int workerCount()
    {
        return workers;
    }

    @Override
    public boolean replicate(final boolean ownerHasIntent, final boolean othersInterested)
    {
        return true;
    }

    @Override
    public String describe()
    {
        return "static (intents ignored)";
    }
}
