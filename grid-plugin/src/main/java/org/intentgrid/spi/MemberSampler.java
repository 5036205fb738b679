package org.intentgrid.spi;

import org.intentgrid.ParameterWorker;

/** The sampler of one table on one member; shared by its workers, so thread-safe. */
public interface MemberSampler
{
    /**
     * @param worker the worker that will prepare samples (used from its thread only)
     * @param seed   seed of this worker's draws
     * @return the worker's own view of the sampler
     */
    WorkerSampler forWorker(ParameterWorker worker, long seed);
}
