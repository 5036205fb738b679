package org.intentgrid.samples.train;

import org.intentgrid.ParameterGrid;

import java.util.function.LongConsumer;

/** Where a run's members and workers live: all in this JVM, or one member per JVM. */
interface WorkerPool extends AutoCloseable
{
    /** @return the grid of this JVM (for declaring, initializing and evaluating) */
    ParameterGrid grid();

    /**
     * Trains every worker for one epoch and waits for all of them.
     *
     * @return summed loss and loss terms, {@code {loss, count}}
     */
    double[] trainEpoch(int epoch, LongConsumer progress);

    /** @return CPU time used so far by the JVMs that run the members, and by their worker threads */
    CpuTime cpuTime();

    /** @return cumulative counters over all members */
    Traffic traffic();

    /** Waits for two completed sync rounds on every member, so that every update is visible everywhere. */
    void waitSync();

    /** @return what happened when a member was killed on purpose ({@code --kill-member}), or null if none was */
    default CrashReport crash()
    {
        return null;
    }

    @Override
    void close();
}
