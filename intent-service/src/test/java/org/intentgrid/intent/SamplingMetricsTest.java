package org.intentgrid.intent;

import com.hazelcast.config.Config;
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

import javax.management.AttributeNotFoundException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A table's sampling counters are among its metrics (prefix intentgrid.table), readable over JMX. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SamplingMetricsTest
{
    private static final int SAMPLES = 40;

    @Test
    void samplingCountersArePublishedPerTable() throws Exception
    {
        final GridConfig config = GridConfig.embedded();
        final Config hz = ParameterGrid.hazelcastConfig(config);
        hz.getMetricsConfig().setCollectionFrequencySeconds(1);
        final HazelcastInstance instance = Hazelcast.newHazelcastInstance(hz);
        try (ParameterGrid grid = ParameterGrid.attach(instance, config))
        {
            final Table table = grid.table(TableSpec.of("sampled", 1000, 4));
            grid.materializeAll(table);
            grid.enableSampling(table, Sampling.of(KeyDistribution.uniform(0, 1000)).seed(3));
            try (ParameterWorker worker = grid.member(0).worker())
            {
                final SampleHandle sample = worker.prepareSample(table, SAMPLES, 0, 1);
                worker.pullSample(sample, new long[SAMPLES], new float[SAMPLES * 4]).await();
                worker.finishSample(sample);
            }
            final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            final ObjectName pattern = new ObjectName("com.hazelcast:type=Metrics,instance=" + instance.getName() +
                ",prefix=intentgrid.table,tag0=\"table=sampled\",*");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true)
            {
                final Set<ObjectName> found = server.queryNames(pattern, null);
                if (found.size() == 1)
                {
                    final ObjectName name = found.iterator().next();
                    if (samplesPulled(server, name) == SAMPLES)
                    {
                        assertEquals(SAMPLES, ((Number)server.getAttribute(name, "samplesPrepared")).longValue());
                        assertEquals(SAMPLES, ((Number)server.getAttribute(name, "samplesLocal")).longValue(),
                            "one member created and holds every key");
                        break;
                    }
                }
                assertTrue(System.nanoTime() < deadline, "sampling metrics within 30 s; found " + found);
                Thread.sleep(100);
            }
        }
        finally
        {
            instance.shutdown();
        }
    }

    /**
     * The table's MBean appears with its first collection, which may have run before sampling was enabled: the
     * sampling attributes join it at a later collection.
     *
     * @return the attribute's value, or -1 while the MBean does not have it yet
     */
    private static long samplesPulled(final MBeanServer server, final ObjectName name) throws Exception
    {
        try
        {
            return ((Number)server.getAttribute(name, "samplesPulled")).longValue();
        }
        catch (final AttributeNotFoundException notYet)
        {
            return -1;
        }
    }
}
