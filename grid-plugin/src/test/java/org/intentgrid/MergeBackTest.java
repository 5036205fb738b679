package org.intentgrid;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member that merges into another cluster (as one does after a split: Hazelcast's split-brain merge) rejoins
 * empty and serves the partitions that migrate to it from their directories: every key keeps the value the other
 * cluster gave it, and none is created again from its initializer at its new home.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MergeBackTest
{
    private static final int KEYS = 600;
    private static final int LENGTH = 2;
    private static final int BIG_PORT = 5_870;
    private static final int LONER_PORT = 5_875;
    /** Time to start the bigger cluster and push to it before the loner looks for it. */
    private static final int LONER_MERGE_DELAY_SECONDS = 15;
    private static final int MERGE_DELAY_SECONDS = 1;

    private final List<HazelcastInstance> instances = new ArrayList<>();

    @AfterEach
    void stop()
    {
        instances.forEach(HazelcastInstance::shutdown);
    }

    @Test
    void aMemberThatMergesInServesItsNewPartitionsFromTheirDirectories() throws Exception
    {
        // a loner that starts alone but knows the other members' addresses, and a cluster of two that does not know
        // the loner: two clusters, until the loner's split-brain check finds the bigger one and merges into it
        final HazelcastInstance loner = start(LONER_MERGE_DELAY_SECONDS, LONER_PORT, BIG_PORT, BIG_PORT + 1);
        assertEquals(1, loner.getCluster().getMembers().size(), "the loner starts a cluster of its own");
        final CountDownLatch merged = new CountDownLatch(1);
        loner.getLifecycleService().addLifecycleListener(event ->
        {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED)
            {
                merged.countDown();
            }
        });

        final TableSpec spec = TableSpec.of("merged", KEYS, LENGTH).init(Init.uniform(1, 2, 7));
        final long[] all = new long[KEYS];
        Arrays.setAll(all, k -> k);
        final float[] ones = new float[KEYS * LENGTH];
        Arrays.fill(ones, 1f);
        final ParameterGrid lonerGrid = ParameterGrid.attach(loner);
        final Table lonerTable = lonerGrid.table(spec);
        try (ParameterWorker worker = lonerGrid.member(0).worker())
        {
            // the loner's own copies of the same keys, pushed twice: stale once it merges, dropped then
            worker.push(lonerTable, all, ones).await();
            worker.push(lonerTable, all, ones).await();
        }

        final HazelcastInstance first = start(MERGE_DELAY_SECONDS, BIG_PORT, BIG_PORT + 1);
        start(MERGE_DELAY_SECONDS, BIG_PORT + 1, BIG_PORT);
        awaitClusterSafe(first, 2);
        final ParameterGrid big = ParameterGrid.attach(first);
        final Table table = big.table(spec);
        try (ParameterWorker worker = big.member(0).worker())
        {
            worker.push(table, all, ones).await();
        }
        assertEquals(1, merged.getCount(), "pushed to both clusters before they merged");

        assertTrue(merged.await(60, TimeUnit.SECONDS), "the loner merged into the bigger cluster");
        awaitClusterSafe(first, 3);
        final GridMember rejoined = GridMember.of(loner);
        assertEquals(0, rejoined.mainCopies(lonerTable), "the merged member rejoined empty");

        final float[] values = new float[KEYS * LENGTH];
        try (ParameterWorker worker = rejoined.worker())
        {
            worker.pull(lonerTable, all, values).await();
        }
        int homedAtRejoined = 0;
        for (int k = 0; k < KEYS; k++)
        {
            final float expected = spec.init().value(spec.nameHash(), k, 0) + 1f;
            assertEquals(expected, values[k * LENGTH], "key " + k + " keeps the one push the bigger cluster gave it");
            if (rejoined.isHome(lonerTable, k))
            {
                homedAtRejoined++;
                assertNotEquals(null, rejoined.directoryOwner(lonerTable, k),
                    "key " + k + ": its new home knows where it lives");
            }
        }
        assertTrue(homedAtRejoined > 0, "partitions migrated to the merged member");
    }

    private HazelcastInstance start(final int mergeDelaySeconds, final int port, final int... others)
    {
        final Config config = ParameterGrid.hazelcastConfig(GridConfig.embedded().clusterName("merge-back-test"));
        config.setProperty("hazelcast.merge.first.run.delay.seconds", String.valueOf(mergeDelaySeconds));
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "1");
        final NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getJoin().getTcpIpConfig().clear().addMember("127.0.0.1:" + port);
        for (final int other : others)
        {
            network.getJoin().getTcpIpConfig().addMember("127.0.0.1:" + other);
        }
        final HazelcastInstance instance = Hazelcast.newHazelcastInstance(config);
        instances.add(instance);
        return instance;
    }

    private static void awaitClusterSafe(final HazelcastInstance instance, final int members)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (instance.getCluster().getMembers().size() != members ||
            !instance.getPartitionService().isClusterSafe())
        {
            assertTrue(System.nanoTime() < deadline, "the cluster of " + members + " settled");
            Thread.sleep(100);
        }
    }
}
