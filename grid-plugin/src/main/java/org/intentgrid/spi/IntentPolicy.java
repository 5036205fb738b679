package org.intentgrid.spi;

/**
 * The adaptive policy of one member: worker clocks, intent queues, when to act on an intent, and the
 * owner's choice between relocating and replicating. The grid's mechanism (store, sync rounds, protocol)
 * calls it; an implementation is found with {@link java.util.ServiceLoader} through
 * {@link IntentPolicyProvider}. Without one, the grid runs in {@link Mode#STATIC}.
 * <p>
 * Threading: {@link #intent}, {@link #advanceClock} and {@link #clock} are called by worker threads (each
 * worker index by one thread at a time); {@link #collect} only by the member's sync thread;
 * {@link #replicate} and {@link #clock} by any thread.
 */
public interface IntentPolicy
{
    /** @return the mode in force */
    Mode mode();

    /** @return the clocks of this member's workers */
    WorkerClockTable clocks();

    /** @return the index of a new worker, whose clock starts at 0 */
    default int registerWorker()
    {
        return clocks().register();
    }

    /** The worker is done: its clock counts as infinite from now on, so its intents expire. */
    default void finishWorker(final int worker)
    {
        clocks().finish(worker);
    }

    /** @return the worker's clock, {@link Long#MAX_VALUE} once finished */
    default long clock(final int worker)
    {
        return clocks().clock(worker);
    }

    /** @return the worker's clock after advancing it by one */
    default long advanceClock(final int worker)
    {
        return clocks().advance(worker);
    }

    /**
     * Records that {@code worker} will access {@code keys} of {@code table} while its clock is in
     * {@code [start, end)}. Input is validated by the caller; the policy may keep {@code keys}.
     */
    void intent(int worker, Object table, long[] keys, long start, long end);

    /**
     * Called by the sync thread whenever it can start a round: copies the workers' clocks into {@code clocks}
     * (indexed by worker; finished workers {@link Long#MAX_VALUE}; the array is grown by the caller to
     * {@link #workerCount()}, and workers that register after that are left to the next round) and hands every
     * intent that is due now to {@code sink}.
     *
     * @param roundStart true at the start of a full sync round (once per rate-limit interval at most), which
     *                   per-round estimates count; false between full rounds, when a fetch round asks for the
     *                   placeholders of intents that became due meanwhile
     * @return number of intents handed out
     */
    int collect(long[] clocks, DueIntentSink sink, boolean roundStart);

    /** @return number of workers ever registered (the length {@link #collect} needs) */
    default int workerCount()
    {
        return clocks().count();
    }

    /**
     * @return how many clocks ahead of its clock the intents of {@code worker} are acted on now; 0 (the default)
     *         for a policy that does not time its actions. A requester whose intents for a key end within two such
     *         windows asks for it as a brief use ({@link #replicate}).
     */
    default long actionWindow(final int worker)
    {
        return 0;
    }

    /**
     * The owner's decision when a member asks to refresh a key.
     *
     * @param ownerHasIntent   workers on the owner itself intend the key now
     * @param othersInterested a member other than the requester asked for the key recently
     * @param briefUse         the requester's intents for the key end within two of its action windows: it wants
     *                         the key for about as long as moving the main copy there would take
     * @param timesMoved       how often the key's main copy changed members so far (its relocation counter)
     * @return true to replicate (the owner keeps the main copy), false to relocate it to the requester; never false
     *         where the same question with {@code othersInterested} false gives true (interest in other members is a
     *         reason to keep the main copy, never to move it): the grid looks the interest up only where the
     *         answer depends on it
     */
    boolean replicate(boolean ownerHasIntent, boolean othersInterested, boolean briefUse, long timesMoved);

    /** @return a one-line description of the policy's state (estimates, queue sizes), for statistics */
    String describe();
}
