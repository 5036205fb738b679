package org.intentgrid.cluster;

import org.intentgrid.GridConfig;
import org.intentgrid.GridMember;
import org.intentgrid.Init;
import org.intentgrid.OpHandle;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three stock Hazelcast members, each in its own container with only the plugin's jars added, and a driver member in
 * the test JVM whose workers train against them: what holds when members join, leave, freeze and die.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ContainerClusterIT
{
    private static final int KEYS = 3_000;
    private static final int LENGTH = 4;
    private static final int BASE_PORT = 6700;
    /** Long enough for a request to a lost member's key to wait out failure detection and recovery. */
    private static final long REQUEST_TIMEOUT_MILLIS = 45_000;

    private MemberContainers cluster;
    private ParameterGrid grid;

    @BeforeEach
    void startCluster(final TestInfo test) throws Exception
    {
        MemberContainers.requireEngineAndImage();
        cluster = new MemberContainers("it-" + test.getTestMethod().orElseThrow().getName(), BASE_PORT, 5,
            Map.of(GridConfig.REQUEST_TIMEOUT_PROP_NAME, String.valueOf(REQUEST_TIMEOUT_MILLIS)));
        for (int i = 0; i < 3; i++)
        {
            cluster.start(i);
        }
        grid = cluster.startDriver(GridConfig.embedded().requestTimeoutMillis(REQUEST_TIMEOUT_MILLIS));
        cluster.awaitCluster(4, 60);
    }

    @AfterEach
    void stopCluster()
    {
        if (grid != null)
        {
            grid.close();
        }
        if (cluster != null)
        {
            cluster.close();
        }
    }

    @Test
    void stockMembersServeHandOffWhenTheyLeaveAndServeAgainAfterARestart() throws Exception
    {
        final Table table = grid.table(TableSpec.of("served", KEYS, LENGTH).init(Init.uniform(0, 1, 5)));
        final long[] all = allKeys();
        long homedInContainers = 0;
        for (final long key : all)
        {
            homedInContainers += grid.member(0).isHome(table, key) ? 0 : 1;
        }
        assertTrue(homedInContainers > KEYS / 2, "most keys have their home in a container: " + homedInContainers);
        final float[] expected = new float[KEYS * LENGTH];
        try (ParameterWorker worker = grid.worker())
        {
            worker.pull(table, all, expected).await();
            for (int k = 0; k < KEYS; k++)
            {
                assertEquals(initial(table, k), expected[k * LENGTH], "key " + k + " starts from its initializer");
            }
            pushOnes(worker, table, all, expected);
        }
        assertTrue(grid.member(0).stats().remoteOps() > 0, "the containers served requests");

        cluster.leave(1);
        cluster.awaitCluster(3, 120);
        assertTrue(cluster.log(0).contains("is STARTED"), "member 0 kept running");
        checkValues(table, all, expected, "after member 1 left gracefully");

        cluster.start(1);
        cluster.awaitCluster(4, 120);
        try (ParameterWorker worker = grid.worker())
        {
            pushOnes(worker, table, all, expected);
        }
        cluster.leave(2);
        cluster.awaitCluster(3, 120);
        checkValues(table, all, expected, "after member 1 came back and member 2 left");
    }

    @Test
    void joinAndGracefulLeaveUnderConcurrentPushesKeepExactSums() throws Exception
    {
        final Table table = grid.table(TableSpec.of("churn", KEYS, LENGTH).init(Init.zeros()));
        final AtomicLongArray acknowledged = new AtomicLongArray(KEYS);
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 2; w++)
        {
            final long seed = w;
            workers.add(new Thread(() -> pushUntilStopped(table, seed, acknowledged, stop, failure), "pusher-" + w));
        }
        workers.forEach(Thread::start);
        Thread.sleep(2_000);
        cluster.start(3);
        cluster.awaitCluster(5, 120);
        Thread.sleep(2_000);
        cluster.leave(0);
        cluster.awaitCluster(4, 120);
        Thread.sleep(2_000);
        cluster.leave(3);
        cluster.awaitCluster(3, 120);
        Thread.sleep(1_000);
        stop.set(true);
        for (final Thread worker : workers)
        {
            worker.join(TimeUnit.SECONDS.toMillis(120));
        }
        assertNull(failure.get(), () -> "a push failed: " + failure.get());
        grid.member(0).waitSync();
        final float[] values = new float[KEYS * LENGTH];
        try (ParameterWorker reader = grid.worker())
        {
            reader.pull(table, allKeys(), values).await();
        }
        long total = 0;
        for (int k = 0; k < KEYS; k++)
        {
            total += acknowledged.get(k);
            assertEquals(acknowledged.get(k), values[k * LENGTH + 1], "key " + k + ": every acknowledged push once");
        }
        assertTrue(total > 10_000, "pushes went on during the churn: " + total);
        System.out.printf("%,d acknowledged pushes across a join and two graceful leaves, all counted once%n", total);
    }

    /**
     * Member 2 freezes for twice Hazelcast's failure-detection timeout, then thaws. Its backup holder recovers its
     * main copies while it is away, so every key keeps exactly the push acknowledged before the freeze; whether the
     * thawed member merges back (it then drops its stale copies and rejoins empty) or stays out, it serves none of
     * them, and the driver keeps working.
     */
    @Test
    void aMemberFrozenBeyondFailureDetectionLeavesTheRestConsistent() throws Exception
    {
        disruptAndReport("frozen", () ->
        {
            cluster.pause(2);
            Thread.sleep(TimeUnit.SECONDS.toMillis(2L * MemberContainers.NO_HEARTBEAT_SECONDS));
            cluster.unpause(2);
            return "member 2 frozen for " + 2 * MemberContainers.NO_HEARTBEAT_SECONDS + " s (failure detection: " +
                MemberContainers.NO_HEARTBEAT_SECONDS + " s)";
        });
    }

    /** Member 2 is killed with SIGKILL from outside: as above, every key exact on the survivors. */
    @Test
    void aKilledMemberLeavesTheRestConsistent() throws Exception
    {
        disruptAndReport("killed", () ->
        {
            cluster.kill(2);
            return "member 2 killed (SIGKILL)";
        });
    }

    /** A disruption of the cluster; returns what it did, for the report. */
    private interface Disruption
    {
        String run() throws Exception;
    }

    private void disruptAndReport(final String name, final Disruption disruption) throws Exception
    {
        final int keys = 600;
        final Table table = grid.table(TableSpec.of(name, keys, LENGTH).init(Init.uniform(1, 2, 3)));
        final long[] all = new long[keys];
        Arrays.setAll(all, k -> k);
        final float[] ones = new float[keys * LENGTH];
        Arrays.fill(ones, 1f);
        try (ParameterWorker worker = grid.worker())
        {
            worker.push(table, all, ones).await();
        }
        // a worker pushes +1 to every key, again and again, while the member is frozen or killed and recovered
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong pushesDuring = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread pusher = new Thread(() -> pushAllUntilStopped(table, all, stop, pushesDuring, failure),
            "pusher-" + name);
        pusher.start();
        final String what = disruption.run();
        final int settledAt = awaitSettled();
        stop.set(true);
        pusher.join(TimeUnit.MILLISECONDS.toMillis(2 * REQUEST_TIMEOUT_MILLIS));
        assertTrue(!pusher.isAlive(), "the pusher's last push completed");
        assertNull(failure.get(), () -> "a push during the disruption failed: " + failure.get());
        final long pushed = 1 + pushesDuring.get();

        final int[] outcome = new int[4];
        final String[] labels = {"exact", "re-initialized", "other value", "failed"};
        final long start = System.nanoTime();
        try (ParameterWorker worker = grid.worker())
        {
            final float[][] values = new float[keys][LENGTH];
            final OpHandle[] pulls = new OpHandle[keys];
            for (int k = 0; k < keys; k++)
            {
                pulls[k] = worker.pull(table, new long[] {k}, values[k]);
            }
            for (int k = 0; k < keys; k++)
            {
                final boolean driverHome = livesAtDriver(table, k);
                try
                {
                    pulls[k].await();
                }
                catch (final RuntimeException e)
                {
                    assertTrue(!driverHome, "key " + k + " lives at the driver, yet its pull failed: " + e);
                    outcome[3]++;
                    continue;
                }
                final float initial = initial(table, k);
                // the owner adds 1 per push, in float: the same sum, rounded the same way
                float expected = initial;
                for (long p = 0; p < pushed; p++)
                {
                    expected += 1f;
                }
                final int kind = values[k][0] == expected ? 0 : values[k][0] == initial ? 1 : 2;
                assertTrue(!driverHome || kind == 0, "key " + k + " lives at the driver and keeps its pushes: " +
                    values[k][0] + " instead of " + expected);
                outcome[kind]++;
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final StringBuilder report = new StringBuilder(what + "; " + pushesDuring.get() + " pushes of every key " +
            "acknowledged meanwhile; the cluster settled at " + settledAt + " members; pulls of " + keys +
            " keys answered within " + String.format("%.1f s: ", seconds));
        for (int i = 0; i < labels.length; i++)
        {
            report.append(i == 0 ? "" : ", ").append(outcome[i]).append(' ').append(labels[i]);
        }
        System.out.println("REPORT " + report);
        assertEquals(keys, outcome[0], "every key keeps exactly its acknowledged push: " + report);

        final long[] driverKeys = Arrays.stream(all).filter(k -> livesAtDriver(table, k)).toArray();
        assertTrue(driverKeys.length > 0, "some keys live at the driver");
        try (ParameterWorker worker = grid.worker())
        {
            final float[] more = new float[driverKeys.length * LENGTH];
            Arrays.fill(more, 1f);
            worker.push(table, driverKeys, more).await();
            final float[] values = new float[driverKeys.length * LENGTH];
            worker.pull(table, driverKeys, values).await();
            assertTrue(values.length == 0 || values[0] >= initial(table, driverKeys[0]) + 1f,
                "the driver keeps working after the disruption");
        }
    }

    /** Pushes +1 to every key of {@code all}, again and again, until stopped; counts the acknowledged pushes. */
    private void pushAllUntilStopped(final Table table, final long[] all, final AtomicBoolean stop,
        final AtomicLong pushes, final AtomicReference<Throwable> failure)
    {
        final float[] ones = new float[all.length * LENGTH];
        Arrays.fill(ones, 1f);
        try (ParameterWorker worker = grid.worker())
        {
            while (!stop.get())
            {
                worker.push(table, all, ones).await();
                pushes.incrementAndGet();
                // leaves the 2 cores some room for the members' failure detection, which this test relies on
                Thread.sleep(1);
            }
        }
        catch (final Throwable e)
        {
            failure.compareAndSet(null, e);
        }
    }

    /** @return true if the driver is the key's home and holds its main copy (its directory says so) */
    private boolean livesAtDriver(final Table table, final long key)
    {
        final GridMember driver = grid.member(0);
        return driver.isHome(table, key) && driver.id().equals(driver.directoryOwner(table, key));
    }

    /** @return the cluster's size once it stopped changing for 5 s (Hazelcast decides what a frozen member is) */
    private int awaitSettled() throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int size = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline)
        {
            final int now = grid.member(0).hazelcast().getCluster().getMembers().size();
            if (now != size)
            {
                size = now;
                stableSince = System.nanoTime();
            }
            if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(5) &&
                grid.member(0).hazelcast().getPartitionService().isClusterSafe())
            {
                return size;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the cluster did not settle within 120 s");
    }

    /**
     * Pushes 1 to element 1 of random batches of keys, signalling each batch as an intent two clocks ahead (so that
     * keys relocate to the driver and back while members come and go), and counts what was acknowledged.
     */
    private void pushUntilStopped(final Table table, final long seed, final AtomicLongArray acknowledged,
        final AtomicBoolean stop, final AtomicReference<Throwable> failure)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int batch = 64;
        final float[] updates = new float[batch * LENGTH];
        for (int i = 0; i < batch; i++)
        {
            updates[i * LENGTH + 1] = 1f;
        }
        long[] next = randomKeys(random, batch);
        try (ParameterWorker worker = grid.worker())
        {
            while (!stop.get())
            {
                final long[] keys = next;
                next = randomKeys(random, batch);
                worker.intent(table, next, worker.clock() + 2);
                worker.push(table, keys, updates).await();
                for (final long key : keys)
                {
                    acknowledged.incrementAndGet((int)key);
                }
                worker.advanceClock();
            }
        }
        catch (final Throwable e)
        {
            failure.compareAndSet(null, e);
        }
    }

    private static long[] randomKeys(final SplittableRandom random, final int count)
    {
        final long[] keys = new long[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = random.nextInt(KEYS);
        }
        return keys;
    }

    private void pushOnes(final ParameterWorker worker, final Table table, final long[] keys, final float[] expected)
    {
        final float[] ones = new float[keys.length * LENGTH];
        Arrays.fill(ones, 1f);
        worker.push(table, keys, ones).await();
        for (int i = 0; i < expected.length; i++)
        {
            expected[i] += 1f;
        }
    }

    private void checkValues(final Table table, final long[] keys, final float[] expected, final String when)
    {
        final float[] values = new float[keys.length * LENGTH];
        try (ParameterWorker worker = grid.worker())
        {
            worker.pull(table, keys, values).await();
        }
        for (int k = 0; k < keys.length; k++)
        {
            for (int e = 0; e < LENGTH; e++)
            {
                assertEquals(expected[k * LENGTH + e], values[k * LENGTH + e], "key " + k + " " + when);
            }
        }
    }

    private static float initial(final Table table, final long key)
    {
        return table.spec().init().value(table.spec().nameHash(), key, 0);
    }

    private static long[] allKeys()
    {
        final long[] keys = new long[KEYS];
        Arrays.setAll(keys, k -> k);
        return keys;
    }
}
