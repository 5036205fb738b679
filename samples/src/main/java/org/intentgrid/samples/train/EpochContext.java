package org.intentgrid.samples.train;

import org.intentgrid.ParameterWorker;

import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/** What one training thread gets for one epoch: its worker, its index among all workers, progress, a barrier. */
public final class EpochContext
{
    private final ParameterWorker worker;
    private final int workerIndex;
    private final int workers;
    private final int epoch;
    private final LongConsumer progress;
    private final Runnable barrier;

    EpochContext(
        final ParameterWorker worker, final int workerIndex, final int workers, final int epoch,
        final LongConsumer progress, final Runnable barrier)
    {
        this.worker = worker;
        this.workerIndex = workerIndex;
        this.workers = workers;
        this.epoch = epoch;
        this.progress = progress;
        this.barrier = barrier;
    }

    /** @return this thread's worker (its clock continues across epochs) */
    public ParameterWorker worker()
    {
        return worker;
    }

    /** @return index of this worker among all workers of the run, {@code 0 .. workers-1} */
    public int workerIndex()
    {
        return workerIndex;
    }

    /** @return number of workers of the run */
    public int workers()
    {
        return workers;
    }

    /** @return the epoch, from 1 */
    public int epoch()
    {
        return epoch;
    }

    /** @return this worker's generator for this epoch, derived from the run's {@code seed} (runs repeat) */
    public SplittableRandom random(final long seed)
    {
        return new SplittableRandom(seed * 31 + epoch * 1_000_003L + workerIndex);
    }

    /** @return this worker's share of the items {@code 0 .. total-1} (every {@code workers}-th), shuffled */
    public int[] shuffledShare(final int total, final SplittableRandom random)
    {
        final int[] share = new int[Math.max(0, (total - workerIndex + workers - 1) / workers)];
        for (int i = 0; i < share.length; i++)
        {
            share[i] = workerIndex + i * workers;
        }
        Shuffle.ints(share, random);
        return share;
    }

    /** Reports {@code examples} more processed examples. */
    public void progress(final long examples)
    {
        progress.accept(examples);
    }

    /** Waits until every worker of the run reached this point (for schedules such as DSGD's sub-epochs). */
    public void awaitAllWorkers()
    {
        barrier.run();
    }
}
