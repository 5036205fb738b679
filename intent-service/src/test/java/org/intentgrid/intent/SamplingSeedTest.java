package org.intentgrid.intent;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.intentgrid.GridConfig;
import org.intentgrid.KeyDistribution;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.SampleHandle;
import org.intentgrid.Sampling;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every member draws its own samples from one {@link Sampling#seed}, also where each member is the only one of its
 * grid (one member per JVM, as in production and in {@code --fork} runs): the first worker of each member drew the
 * same keys as the first worker of every other member before, so two members of a training run sampled the same
 * negatives in lockstep. Here two grids of one member each form one cluster in this JVM.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SamplingSeedTest
{
    private static final int KEYS = 1 << 16;
    private static final int SAMPLE = 32;

    @Test
    void membersOfOneClusterDrawTheirOwnKeysWhicheverGridTheyBelongTo()
    {
        final GridConfig config = GridConfig.embedded();
        final List<HazelcastInstance> instances = new ArrayList<>();
        try
        {
            instances.add(Hazelcast.newHazelcastInstance(ParameterGrid.hazelcastConfig(config)));
            instances.add(Hazelcast.newHazelcastInstance(ParameterGrid.hazelcastConfig(config)));
            assertEquals(2, instances.get(0).getCluster().getMembers().size(), "the two members form one cluster");
            final long[][] drawn = new long[2][];
            for (int m = 0; m < 2; m++)
            {
                final ParameterGrid grid = ParameterGrid.attach(instances.get(m), config);
                assertEquals(1, grid.members().size(), "each grid has one member, the first of its grid");
                drawn[m] = draw(grid);
            }
            assertFalse(Arrays.equals(drawn[0], drawn[1]), "the two members drew the same keys from one seed: " +
                Arrays.toString(drawn[0]));
        }
        finally
        {
            for (final HazelcastInstance instance : instances)
            {
                instance.shutdown();
            }
        }
    }

    @Test
    void aMemberOfAnEmbeddedGridDrawsTheSameKeysInEveryRun()
    {
        final long[][] drawn = new long[2][];
        for (int run = 0; run < 2; run++)
        {
            try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(1).basePort(6301)))
            {
                drawn[run] = draw(grid);
            }
        }
        assertEquals(Arrays.toString(drawn[0]), Arrays.toString(drawn[1]), "one seed, one member: the same draws");
    }

    /** @return the keys the first worker of the grid's first member draws from a table of its own */
    private static long[] draw(final ParameterGrid grid)
    {
        final Table table = grid.table(TableSpec.of("seeded", KEYS, 1));
        grid.enableSampling(table, Sampling.of(KeyDistribution.uniform(0, KEYS)).seed(5));
        try (ParameterWorker worker = grid.member(0).worker())
        {
            final SampleHandle sample = worker.prepareSample(table, SAMPLE, 0, 1);
            final long[] keys = new long[SAMPLE];
            worker.pullSample(sample, keys, new float[SAMPLE]).await();
            worker.finishSample(sample);
            return keys;
        }
    }
}
