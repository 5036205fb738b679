package org.intentgrid;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member JVM killed with SIGKILL from outside: its backup holder recovers its main copies, no acknowledged update
 * is lost, no key is re-initialized, and the survivors go on training on those keys.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrashRecoveryIT
{
    private static final int FAILURE_DETECTION_SECONDS = 4;
    private static final int DIM = 4;

    private Process process;

    @AfterEach
    void killFork() throws Exception
    {
        if (process != null && process.isAlive())
        {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void killedMembersKeysAreRecoveredWithEveryFlushedUpdate() throws Exception
    {
        final GridConfig config = survivors();
        try (ParameterGrid grid = ParameterGrid.start(config))
        {
            final UUID forked = startFork(config, grid, "crash-member.log");
            final int keys = 3000;
            final Table table = grid.table(TableSpec.of("crash", keys, DIM).init(Init.uniform(0, 1, 5)));
            final long[] all = new long[keys];
            for (int k = 0; k < keys; k++)
            {
                all[k] = k;
            }
            final int pushes = 5;
            try (ParameterWorker a = grid.member(0).worker(); ParameterWorker b = grid.member(1).worker())
            {
                final float[] ones = new float[keys * DIM];
                Arrays.fill(ones, 1f);
                for (int i = 0; i < pushes; i++)
                {
                    a.push(table, all, ones).await();
                    b.push(table, all, ones).await();
                }
            }
            final long atFork = keys - grid.member(0).mainCopies(table) - grid.member(1).mainCopies(table);
            assertTrue(atFork > keys / 5, "the forked member owns a share of the keys: " + atFork);
            // the fork flushes by itself every 100 ms, the gap stretched up to 1 s after slow flushes (BackupFlusher);
            // it joined last, so its backup holder is the next member in join order: the first one
            awaitBackups(grid.member(0), atFork);

            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the forked member died");
            final long killedAt = System.nanoTime();
            awaitGone(grid, forked);
            final long recovered = awaitRecovery(grid);
            final long recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);

            assertEquals(keys, grid.member(0).mainCopies(table) + grid.member(1).mainCopies(table),
                "every key has exactly one main copy on the survivors");
            assertEquals(atFork, recovered, "the holder recovered every key the dead member owned");
            try (ParameterWorker a = grid.member(0).worker(); ParameterWorker b = grid.member(1).worker())
            {
                final float[] ones = new float[keys * DIM];
                Arrays.fill(ones, 1f);
                a.push(table, all, ones).await();
                b.push(table, all, ones).await();
                final float[] values = new float[keys * DIM];
                a.pull(table, all, values).await();
                for (int k = 0; k < keys; k++)
                {
                    for (int e = 0; e < DIM; e++)
                    {
                        assertEquals(TestGrids.initial(table, k, e) + 2 * pushes + 2, values[k * DIM + e], 1e-4,
                            "key " + k + " element " + e + ": every acknowledged push, once");
                    }
                }
            }
            System.out.println("REPORT crash: " + atFork + " keys at the killed member, recovered " + recovered +
                " within " + recoveryMillis + " ms of the kill (failure detection " + FAILURE_DETECTION_SECONDS +
                " s)");
        }
    }

    /**
     * Two workers per survivor push +1 to random batches of keys that move (intents of the next clocks relocate or
     * replicate them) while the third member is killed: every push is acknowledged once and lands once, including
     * those in flight to the dead member and the replica deltas it had merged, so every key ends at its initial
     * value plus exactly the pushes made.
     */
    @Test
    void pushesInFlightAtTheCrashLandExactlyOnce() throws Exception
    {
        final GridConfig config = survivors();
        try (ParameterGrid grid = ParameterGrid.start(config))
        {
            final UUID forked = startFork(config, grid, "crash-load-member.log");
            final int keys = 2000;
            final Table table = grid.table(TableSpec.of("crash-load", keys, DIM).init(Init.uniform(0, 1, 7)));
            final int workers = 4;
            final long[][] pushed = new long[workers][keys];
            final AtomicBoolean stop = new AtomicBoolean();
            final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            final AtomicLong batches = new AtomicLong();
            final List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < workers; w++)
            {
                final int id = w;
                final GridMember member = grid.member(w % 2);
                threads.add(new Thread(() -> pushUntilStopped(member, table, id, pushed[id], stop, batches, failures),
                    "pusher-" + w));
            }
            threads.forEach(Thread::start);
            final long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // the fork's backup holder is the first member (see above); until the fork's first flush reached it, a
            // crash would leave nothing to recover from backups (its keys return to their homes), and this test is
            // about the recovery from backups while pushes are in flight
            while ((batches.get() < 400 || grid.member(0).backupStats().backupKeysHeld() == 0) &&
                System.nanoTime() < warm)
            {
                Thread.sleep(10);
            }
            assertTrue(grid.member(0).backupStats().backupKeysHeld() > 0,
                "the forked member's backups reached the first member within 30 s");
            final long before = batches.get();
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the forked member died");
            awaitGone(grid, forked);
            awaitRecovery(grid);
            final long afterRecovery = batches.get();
            Thread.sleep(1000);
            stop.set(true);
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(120));
                assertTrue(!thread.isAlive(), thread.getName() + " finished");
            }
            assertTrue(failures.isEmpty(), () -> "worker failures: " + failures);
            assertTrue(batches.get() > afterRecovery, "the workers went on pushing after the recovery");
            grid.members().forEach(GridMember::waitSync);

            final long[] all = new long[keys];
            Arrays.setAll(all, k -> k);
            final float[] values = new float[keys * DIM];
            try (ParameterWorker reader = grid.member(0).worker())
            {
                reader.pull(table, all, values).await();
            }
            int wrong = 0;
            String first = null;
            for (int k = 0; k < keys; k++)
            {
                long sum = 0;
                for (final long[] perWorker : pushed)
                {
                    sum += perWorker[k];
                }
                final float expected = TestGrids.initial(table, k, 0) + sum;
                if (Math.abs(values[k * DIM] - expected) > 1e-3)
                {
                    wrong++;
                    first = first != null ? first : "key " + k + ": " + values[k * DIM] + " instead of " + expected;
                }
            }
            assertEquals(keys, grid.member(0).mainCopies(table) + grid.member(1).mainCopies(table),
                "every key has exactly one main copy on the survivors");
            assertEquals(0, wrong, "keys off their exact sum (first: " + first + ")");
            final BackupStats s0 = grid.member(0).backupStats();
            final BackupStats s1 = grid.member(1).backupStats();
            System.out.println("REPORT crash under load: " + before + " batches before the kill, " + batches.get() +
                " in all, " + (s0.keysRecovered() + s1.keysRecovered()) + " keys recovered in " +
                Math.max(s0.lastRecoveryMillis(), s1.lastRecoveryMillis()) + " ms, every key exact");
        }
    }

    private static void pushUntilStopped(
        final GridMember member, final Table table, final int id, final long[] pushed, final AtomicBoolean stop,
        final AtomicLong batches, final ConcurrentLinkedQueue<Throwable> failures)
    {
        final SplittableRandom random = new SplittableRandom(100 + id);
        final int batch = 32;
        final long keys = table.spec().size();
        try (ParameterWorker worker = member.worker())
        {
            final long[][] planned = new long[3][batch];
            for (final long[] next : planned)
            {
                for (int k = 0; k < batch; k++)
                {
                    next[k] = random.nextLong(keys);
                }
            }
            final float[] ones = new float[batch * DIM];
            Arrays.fill(ones, 1f);
            int step = 0;
            while (!stop.get())
            {
                final long[] now = planned[step % 3];
                worker.intent(table, planned[(step + 2) % 3], worker.clock() + 2);
                worker.push(table, now, ones).await();
                for (final long key : now)
                {
                    pushed[(int)key]++;
                }
                for (int k = 0; k < batch; k++)
                {
                    now[k] = random.nextLong(keys);
                }
                worker.advanceClock();
                batches.incrementAndGet();
                step++;
            }
        }
        catch (final Throwable t)
        {
            failures.add(t);
        }
    }

    /** @return two embedded members that detect a lost member within {@link #FAILURE_DETECTION_SECONDS} */
    private static GridConfig survivors()
    {
        return GridConfig.embedded().members(2).failureDetectionSeconds(FAILURE_DETECTION_SECONDS)
            .requestTimeoutMillis(60_000);
    }

    private static void awaitBackups(final GridMember holder, final long keys) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (holder.backupStats().backupKeysHeld() != keys)
        {
            assertTrue(System.nanoTime() < deadline, "the forked member's " + keys + " keys reached their backup " +
                "holder within 30 s: " + holder.backupStats());
            Thread.sleep(20);
        }
    }

    private static long awaitRecovery(final ParameterGrid grid) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true)
        {
            final BackupStats s0 = grid.member(0).backupStats();
            final BackupStats s1 = grid.member(1).backupStats();
            if (s0.recoveries() + s1.recoveries() > 0)
            {
                return s0.keysRecovered() + s1.keysRecovered();
            }
            assertTrue(System.nanoTime() < deadline, "a survivor recovered the lost member within 60 s");
            Thread.sleep(20);
        }
    }

    private static void awaitGone(final ParameterGrid grid, final UUID forked) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (grid.member(0).hazelcast().getCluster().getMembers().stream().anyMatch(m -> m.getUuid().equals(forked)))
        {
            assertTrue(System.nanoTime() < deadline, "the cluster removed the killed member within 60 s");
            Thread.sleep(20);
        }
    }

    private UUID startFork(final GridConfig config, final ParameterGrid grid, final String log) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of(config.clusterName(), String.valueOf(config.basePort()),
            "hazelcast.heartbeat.interval.seconds=1",
            "hazelcast.max.no.heartbeat.seconds=" + FAILURE_DETECTION_SECONDS));
        final ProcessBuilder builder = new ProcessBuilder(
            ForkedJvms.command(List.of("-Xmx512m"), ForkedMember.class, args.toArray(new String[0])));
        builder.redirectError(Paths.get("target").toAbsolutePath().resolve(log).toFile());
        process = builder.start();
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("READY "))
        {
            continue;
        }
        assertTrue(line != null, "the forked member started");
        final UUID id = UUID.fromString(line.substring("READY ".length()).trim());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (grid.member(0).hazelcast().getCluster().getMembers().size() < 3 ||
            !grid.member(0).hazelcast().getPartitionService().isClusterSafe())
        {
            assertTrue(System.nanoTime() < deadline, "the forked member joined within 60 s");
            Thread.sleep(50);
        }
        return id;
    }
}
