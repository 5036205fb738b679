package org.intentgrid;

import org.intentgrid.spi.MemberSampler;
import org.intentgrid.spi.SamplingCounters;

/** Sampling of one table on one member, as enabled: configuration, the scheme's sampler and its counters. */
final class SamplingState
{
    final Table table;
    final Sampling sampling;
    final SamplingScheme scheme;
    final MemberSampler sampler;
    final SamplingCounters counters;
    /** Seed of this member's draws; its workers' seeds derive from it. */
    final long seed;

    SamplingState(
        final Table table, final Sampling sampling, final SamplingScheme scheme, final MemberSampler sampler,
        final SamplingCounters counters, final long seed)
    {
        this.table = table;
        this.sampling = sampling;
        this.scheme = scheme;
        this.sampler = sampler;
        this.counters = counters;
        this.seed = seed;
    }
}
