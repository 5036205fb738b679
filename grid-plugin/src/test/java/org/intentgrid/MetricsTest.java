package org.intentgrid;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grid's statistics reach Hazelcast's metrics system and, through its JMX publisher, the platform MBean server:
 * member metrics under {@code prefix=intentgrid}, table metrics under {@code prefix=intentgrid.table} tagged with the
 * table's name.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsTest
{
    private static final int KEYS = 500;

    @Test
    void memberAndTableMetricsAreReadableOverJmx() throws Exception
    {
        final GridConfig config = GridConfig.embedded();
        final Config hz = ParameterGrid.hazelcastConfig(config);
        hz.getMetricsConfig().setCollectionFrequencySeconds(1);
        final HazelcastInstance instance = Hazelcast.newHazelcastInstance(hz);
        try (ParameterGrid grid = ParameterGrid.attach(instance, config))
        {
            readMetrics(instance, grid);
        }
        finally
        {
            instance.shutdown();
        }
    }

    private static void readMetrics(final HazelcastInstance instance, final ParameterGrid grid) throws Exception
    {
        final Table table = grid.table(TableSpec.of("metered", KEYS, 8));
        final long[] keys = new long[KEYS];
        for (int k = 0; k < KEYS; k++)
        {
            keys[k] = k;
        }
        grid.member(0).materializeHome(table);
        try (ParameterWorker worker = grid.member(0).worker())
        {
            worker.push(table, keys, new float[KEYS * 8]).await();
            worker.pull(table, keys, new float[KEYS * 8]).await();
        }

        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        final String instanceName = instance.getName();
        final ObjectName member = awaitOne(server, new ObjectName("com.hazelcast:type=Metrics,instance=" +
            instanceName + ",prefix=intentgrid,*"), "keysPushed", KEYS);
        assertEquals(KEYS, ((Number)server.getAttribute(member, "keysPulled")).longValue());
        assertEquals(100.0, ((Number)server.getAttribute(member, "localPercent")).doubleValue(), 1e-9,
            "a single member that created its keys serves every access locally");
        assertTrue(((Number)server.getAttribute(member, "offHeapBytes")).longValue() > KEYS * 8 * Float.BYTES);

        final ObjectName perTable = awaitOne(server, new ObjectName("com.hazelcast:type=Metrics,instance=" +
            instanceName + ",prefix=intentgrid.table,*"), "mainCopies", KEYS);
        assertTrue(perTable.toString().contains("table=metered"), "tagged with the table: " + perTable);
        assertTrue(((Number)server.getAttribute(perTable, "offHeapBytes")).longValue() > 0);
    }

    /** @return the one MBean matching {@code pattern} once its attribute {@code name} reached {@code expected} */
    private static ObjectName awaitOne(
        final MBeanServer server, final ObjectName pattern, final String name, final long expected) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            final Set<ObjectName> found = server.queryNames(pattern, null);
            if (found.size() == 1)
            {
                final ObjectName only = found.iterator().next();
                final Object value = server.getAttribute(only, name);
                if (value instanceof Number && ((Number)value).longValue() == expected)
                {
                    return only;
                }
            }
            assertTrue(System.nanoTime() < deadline, "an MBean " + pattern + " with " + name + " = " + expected +
                " within 30 s; found " + found);
            Thread.sleep(100);
        }
    }
}
