package org.intentgrid.sampling;

import org.intentgrid.Sampling;
import org.intentgrid.SamplingScheme;
import org.intentgrid.Table;
import org.intentgrid.spi.MemberSampler;
import org.intentgrid.spi.SamplerProvider;
import org.intentgrid.spi.SamplingCounters;

/** Registered through {@code META-INF/services}: the four sampling schemes of the intent service. */
public final class SchemeSamplerProvider implements SamplerProvider
{
    @Override
    public MemberSampler create(
        final Table table, final Sampling sampling, final SamplingScheme scheme, final SamplingCounters counters,
        final long seed)
    {
        switch (scheme)
        {
            case NAIVE:
                return new DrawingSampler(table, sampling, false);
            case PRELOC:
                return new DrawingSampler(table, sampling, true);
            case POOL:
                return new PoolSampler(table, new KeyPool(sampling, counters, seed));
            case LOCAL:
                return new LocalSampler(table, sampling, counters);
            default:
                throw new IllegalArgumentException("unknown sampling scheme " + scheme);
        }
    }
}
