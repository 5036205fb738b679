package org.intentgrid.spi;

import org.intentgrid.SamplingScheme;
import org.intentgrid.SamplingStats;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one table's sampling on one member, written by all of its workers. */
public final class SamplingCounters
{
    private final LongAdder prepared = new LongAdder();
    private final LongAdder pulled = new LongAdder();
    private final LongAdder local = new LongAdder();
    private final LongAdder poolRefreshes = new LongAdder();
    private final LongAdder candidateChecks = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();

    /** @param keys keys reserved by one prepare */
    public void prepared(final long keys)
    {
        prepared.add(keys);
    }

    /**
     * @param keys      keys handed out by one pull
     * @param localKeys of them, those read locally inside the call
     */
    public void pulled(final long keys, final long localKeys)
    {
        pulled.add(keys);
        local.add(localKeys);
    }

    /** A pool was drawn. */
    public void poolRefreshed()
    {
        poolRefreshes.increment();
    }

    /** @param candidates candidate keys examined */
    public void checked(final long candidates)
    {
        candidateChecks.add(candidates);
    }

    /** @param samples samples that found no local candidate */
    public void fellBack(final long samples)
    {
        fallbacks.add(samples);
    }

    /** @return the counters now */
    public SamplingStats snapshot(final SamplingScheme scheme)
    {
        return new SamplingStats(scheme, prepared.sum(), pulled.sum(), local.sum(), poolRefreshes.sum(),
            candidateChecks.sum(), fallbacks.sum());
    }
}
