package org.intentgrid.sampling;

import org.agrona.collections.LongHashSet;
import org.intentgrid.KeyDistribution;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Sampling;
import org.intentgrid.Table;
import org.intentgrid.spi.MemberSampler;
import org.intentgrid.spi.PreparedSample;
import org.intentgrid.spi.SamplingCounters;
import org.intentgrid.spi.WorkerSampler;

import java.util.SplittableRandom;

/**
 * Scheme {@code local}: nothing is drawn at prepare time; each pulled sample is the first of up to
 * {@link Sampling#localChecks()} candidates that is local on this member, read in place. If none is, the last
 * candidate is used and left for the caller to pull remotely (a fallback), so the scheme never spins when
 * nothing suitable is local. Only local keys are returned otherwise, which skews the distribution towards them.
 * The candidates are drawn one by one, or with {@link Sampling#localScan()} the first is drawn and the others follow
 * it upwards through the distribution's key range, wrapping around.
 */
final class LocalSampler implements MemberSampler
{
    private final Table table;
    private final Sampling sampling;
    private final SamplingCounters counters;

    LocalSampler(final Table table, final Sampling sampling, final SamplingCounters counters)
    {
        this.table = table;
        this.sampling = sampling;
        this.counters = counters;
    }

    @Override
    public WorkerSampler forWorker(final ParameterWorker worker, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        return (n, start, end) -> new Sample(worker, random, sampling.withReplacement() ? null : new LongHashSet());
    }

    private final class Sample implements PreparedSample
    {
        private final ParameterWorker worker;
        private final SplittableRandom random;
        private final LongHashSet used;

        Sample(final ParameterWorker worker, final SplittableRandom random, final LongHashSet used)
        {
            this.worker = worker;
            this.random = random;
            this.used = used;
        }

        @Override
        public int next(final long[] keysOut, final int count, final float[] valuesOut, final int[] unserved)
        {
            final KeyDistribution distribution = sampling.distribution();
            final int length = table.valueLength();
            final int maxChecks = sampling.localChecks();
            final boolean scan = sampling.localScan();
            int remote = 0;
            long checks = 0;
            for (int i = 0; i < count; i++)
            {
                long candidate = -1;
                boolean local = false;
                for (int c = 0; c < maxChecks && !local; c++)
                {
                    candidate = scan && c > 0 ? following(distribution, candidate) : Draws.one(distribution, random);
                    checks++;
                    if (used == null || !used.contains(candidate))
                    {
                        local = worker.pullIfLocal(table, candidate, valuesOut, i * length);
                    }
                }
                while (used != null && used.contains(candidate))
                {
                    candidate = scan ? following(distribution, candidate) : Draws.one(distribution, random);
                }
                if (used != null)
                {
                    used.add(candidate);
                }
                keysOut[i] = candidate;
                if (!local)
                {
                    unserved[remote++] = i;
                }
            }
            counters.checked(checks);
            counters.fellBack(remote);
            return remote;
        }
    }

    /** @return the key after {@code key} in the distribution's range, the lowest after the highest */
    private static long following(final KeyDistribution distribution, final long key)
    {
        return key + 1 < distribution.maxKey() ? key + 1 : distribution.minKey();
    }
}
