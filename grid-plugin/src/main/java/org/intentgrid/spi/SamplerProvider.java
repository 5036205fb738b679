package org.intentgrid.spi;

import org.intentgrid.Sampling;
import org.intentgrid.SamplingScheme;
import org.intentgrid.Table;

/**
 * Creates the sampling schemes of a member. Listed in {@code META-INF/services/org.intentgrid.spi.SamplerProvider}
 * by the module that implements them (the intent service); without one, sampling is unavailable.
 */
public interface SamplerProvider
{
    /**
     * @param table    the table sampled
     * @param sampling its distribution and options (validated against the table)
     * @param scheme   the scheme in force for it
     * @param counters where the scheme counts pool refreshes, candidate checks and fallbacks
     * @param seed     seed of this member's draws
     * @return the member-wide sampler of the table
     */
    MemberSampler create(Table table, Sampling sampling, SamplingScheme scheme, SamplingCounters counters, long seed);
}
