package org.intentgrid.spi;

/**
 * The policy used when no {@link IntentPolicyProvider} is on the classpath, or in {@link Mode#STATIC}:
 * clocks are kept (workers may still call {@code advanceClock}), intents are accepted and ignored.
 */
public final class StaticPolicy implements IntentPolicy
{
    private final WorkerClockTable clocks = new WorkerClockTable();

    @Override
    public Mode mode()
    {
        return Mode.STATIC;
    }

    @Override
    public WorkerClockTable clocks()
    {
        return clocks;
    }

    @Override
    public void intent(final int worker, final Object table, final long[] keys, final long start, final long end)
    {
    }

    @Override
    public int collect(final long[] clocks, final DueIntentSink sink, final boolean roundStart)
    {
        return 0;
    }

    @Override
    public boolean replicate(
        final boolean ownerHasIntent, final boolean othersInterested, final boolean briefUse, final long timesMoved)
    {
        return true;
    }

    @Override
    public String describe()
    {
        return "static (intents ignored)";
    }
}
