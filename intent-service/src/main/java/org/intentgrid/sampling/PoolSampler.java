package org.intentgrid.sampling;

import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.spi.MemberSampler;
import org.intentgrid.spi.PreparedSample;
import org.intentgrid.spi.WorkerSampler;

/**
 * Scheme {@code pool}: samples come from the member's {@link KeyPool}, and each worker signals intent for the
 * keys it took over the sample's window. Because pool keys recur (in several samples, for several workers),
 * their intents overlap and they stay local for the whole life of the pool instead of moving per sample.
 */
final class PoolSampler implements MemberSampler
{
    private final Table table;
    private final KeyPool pool;

    PoolSampler(final Table table, final KeyPool pool)
    {
        this.table = table;
        this.pool = pool;
    }

    @Override
    public WorkerSampler forWorker(final ParameterWorker worker, final long seed)
    {
        return (n, start, end) ->
        {
            final long[] keys = new long[n];
            pool.take(keys);
            worker.intent(table, keys, start, end);
            return (PreparedSample)new DrawnSample(keys);
        };
    }
}
