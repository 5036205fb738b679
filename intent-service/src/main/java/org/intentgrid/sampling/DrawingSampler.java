package org.intentgrid.sampling;

import org.agrona.collections.LongHashSet;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Sampling;
import org.intentgrid.Table;
import org.intentgrid.spi.MemberSampler;
import org.intentgrid.spi.PreparedSample;
import org.intentgrid.spi.WorkerSampler;

import java.util.SplittableRandom;

/**
 * Schemes {@code naive} and {@code preloc}: each worker draws its sample at prepare time; {@code preloc}
 * also signals intent for the drawn keys over the sample's clock window, so they are local when pulled.
 */
final class DrawingSampler implements MemberSampler
{
    private final Table table;
    private final Sampling sampling;
    private final boolean signalIntent;

    DrawingSampler(final Table table, final Sampling sampling, final boolean signalIntent)
    {
        this.table = table;
        this.sampling = sampling;
        this.signalIntent = signalIntent;
    }

    @Override
    public WorkerSampler forWorker(final ParameterWorker worker, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final LongHashSet seen = new LongHashSet();
        return (n, start, end) ->
        {
            final long[] keys = new long[n];
            Draws.fill(sampling.distribution(), random, keys, !sampling.withReplacement(), seen);
            if (signalIntent)
            {
                worker.intent(table, keys, start, end);
            }
            return (PreparedSample)new DrawnSample(keys);
        };
    }
}
