package org.intentgrid.samples;

import com.hazelcast.map.IMap;
import org.HdrHistogram.Histogram;
import org.intentgrid.GridConfig;
import org.intentgrid.GridMember;
import org.intentgrid.GridStats;
import org.intentgrid.OpHandle;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.SyncStats;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.samples.train.TrainOptions;
import org.intentgrid.spi.Mode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A sparse, skewed workload: every worker pulls a batch of Zipf-distributed keys, pushes an update to them
 * and advances its clock, signalling intent for the batch {@code --ahead} clocks in advance. The same work
 * runs in each mode side by side: the grid in its intent modes, the grid in static mode (classic
 * parameter server), one member doing everything (same total threads), and a Hazelcast IMap.
 */
@Command(name = "zipf", mixinStandardHelpOptions = true,
    description = "Sparse skewed pull/push workload with intents, per mode: throughput, locality, traffic, latency.")
final class ZipfBench implements Runnable
{
    /** Suffix of a mode name that runs it with {@code intentgrid.backups} 0. */
    private static final String NO_BACKUPS = "-no-backups";
    private static final String WORKER_PREFIX = "zipf-";

    @Option(names = "--members", defaultValue = "4", description = "members (default ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--workers", defaultValue = "1", description = "workers per member (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--keys", defaultValue = "100000", description = "keys (default ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--dim", defaultValue = "32", description = "floats per key (default ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--batch", defaultValue = "64", description = "keys per batch (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--zipf", defaultValue = "1.1", description = "Zipf exponent (default ${DEFAULT-VALUE})")
    double zipf;

    @Option(names = "--ahead", defaultValue = "100",
        description = "clocks of look-ahead for intents (default ${DEFAULT-VALUE})")
    int ahead;

    @Option(names = "--seconds", defaultValue = "5",
        description = "measured seconds per mode (default ${DEFAULT-VALUE})")
    double seconds;

    @Mixin
    WarmUpOptions warmUp = new WarmUpOptions();

    @Option(names = "--modes", defaultValue = "adaptive,static,replication-only,relocation-only,single,imap",
        split = ",",
        description = "modes to run, in order; a grid mode with the suffix " + NO_BACKUPS + " runs without backups " +
            "(default ${DEFAULT-VALUE})")
    List<String> modes;

    @Option(names = "--act-immediately",
        description = "act on every intent at the next sync round instead of timing the action")
    boolean actImmediately;

    @Option(names = "--channels", defaultValue = "" + GridConfig.CHANNELS_DEFAULT,
        description = "sync channels per member, each with one round in flight (default ${DEFAULT-VALUE})")
    int channels;

    @Option(names = "--max-rounds-per-second", defaultValue = "" + GridConfig.MAX_ROUNDS_PER_SECOND_DEFAULT,
        description = "the most full sync rounds a channel starts per second (default ${DEFAULT-VALUE})")
    int maxRoundsPerSecond;

    @Option(names = "--relocation-limit", paramLabel = "N|none",
        defaultValue = "none", description = "in mode adaptive, how often a key " +
            "may change members before it is only replicated from where it is (default ${DEFAULT-VALUE})")
    private String relocationLimit;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", defaultValue = "target/bench-zipf.json", description = "result file")
    File json;

    private double[] cdf;
    private long[] rankToKey;

    @Override
    public void run()
    {
        warmUp.validate();
        prepareDistribution();
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (final String mode : modes)
        {
            System.out.printf("%n== %s ==%n", mode);
            rows.add("imap".equals(mode) ? runImap() : runGrid(mode));
        }
        printTable(rows);
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "zipf");
        result.put("members", members);
        result.put("workers_per_member", workers);
        result.put("keys", keys);
        result.put("dim", dim);
        result.put("batch", batch);
        result.put("zipf", zipf);
        result.put("ahead", ahead);
        result.put("relocation_limit", relocationLimit);
        result.put("seconds", seconds);
        result.put("modes", rows);
        Json.write(json, result);
        System.out.println("Results written to " + json);
    }

    private void prepareDistribution()
    {
        cdf = new double[keys];
        double sum = 0;
        for (int r = 0; r < keys; r++)
        {
            sum += 1.0 / Math.pow(r + 1, zipf);
            cdf[r] = sum;
        }
        for (int r = 0; r < keys; r++)
        {
            cdf[r] /= sum;
        }
        rankToKey = new long[keys];
        for (int r = 0; r < keys; r++)
        {
            rankToKey[r] = r;
        }
        final SplittableRandom shuffle = new SplittableRandom(seed);
        for (int r = keys - 1; r > 0; r--)
        {
            final int j = shuffle.nextInt(r + 1);
            final long t = rankToKey[r];
            rankToKey[r] = rankToKey[j];
            rankToKey[j] = t;
        }
    }

    private void drawBatch(final SplittableRandom random, final long[] out)
    {
        for (int i = 0; i < out.length; i++)
        {
            final double u = random.nextDouble();
            int lo = 0;
            int hi = keys - 1;
            while (lo < hi)
            {
                final int mid = (lo + hi) >>> 1;
                if (cdf[mid] < u)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }
            out[i] = rankToKey[lo];
        }
    }

    private Map<String, Object> runGrid(final String modeName)
    {
        final boolean noBackups = modeName.endsWith(NO_BACKUPS);
        final String baseMode = noBackups ? modeName.substring(0, modeName.length() - NO_BACKUPS.length()) : modeName;
        final boolean single = "single".equals(baseMode);
        final Mode mode = single ? Mode.STATIC : Mode.parse(baseMode);
        final int memberCount = single ? 1 : members;
        final int workersPerMember = single ? members * workers : workers;
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(memberCount).mode(mode)
            .actImmediately(actImmediately).channels(channels).maxRoundsPerSecond(maxRoundsPerSecond)
            .backups(noBackups ? 0 : GridConfig.BACKUPS_DEFAULT)
            .relocationLimit(TrainOptions.parseRelocationLimit(relocationLimit))))
        {
            final Table table = grid.table(TableSpec.of("zipf", keys, dim));
            BenchSupport.touchAll(grid, table);
            final List<Runner> runners = new ArrayList<>();
            for (int m = 0; m < memberCount; m++)
            {
                for (int w = 0; w < workersPerMember; w++)
                {
                    runners.add(new GridRunner(grid.member(m), table, seed * 1000 + m * 100 + w));
                }
            }
            final Map<String, Object> row = measure(modeName, runners, () -> grid.stats());
            long rounds = 0;
            long syncBytes = 0;
            long replicate = 0;
            long relocate = 0;
            for (final GridMember member : grid.members())
            {
                final SyncStats s = member.syncStats();
                rounds += s.rounds();
                syncBytes += s.bytesSent();
                replicate += s.replicateDecisions();
                relocate += s.relocateDecisions();
            }
            row.put("sync_rounds", rounds);
            row.put("sync_bytes", syncBytes);
            row.put("replicate_decisions", replicate);
            row.put("relocate_decisions", relocate);
            return row;
        }
    }

    private Map<String, Object> runImap()
    {
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(members).mode(Mode.STATIC)))
        {
            final IMap<Long, float[]> map = grid.member(0).hazelcast().getMap("zipf-imap");
            final Map<Long, float[]> chunk = new HashMap<>();
            for (long k = 0; k < keys; k++)
            {
                chunk.put(k, new float[dim]);
                if (chunk.size() == 5000)
                {
                    map.putAll(chunk);
                    chunk.clear();
                }
            }
            map.putAll(chunk);
            final List<Runner> runners = new ArrayList<>();
            for (int m = 0; m < members; m++)
            {
                final IMap<Long, float[]> local = grid.member(m).hazelcast().getMap("zipf-imap");
                for (int w = 0; w < workers; w++)
                {
                    runners.add(new ImapRunner(local, seed * 1000 + m * 100 + w));
                }
            }
            return measure("imap", runners, () -> GridStats.ZERO);
        }
    }

    private interface StatsSource
    {
        GridStats stats();
    }

    private Map<String, Object> measure(final String name, final List<Runner> runners, final StatsSource stats)
    {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicBoolean measuring = new AtomicBoolean(false);
        final List<Thread> threads = new ArrayList<>();
        for (final Runner runner : runners)
        {
            threads.add(new Thread(() -> runner.loop(running, measuring), WORKER_PREFIX + name));
        }
        threads.forEach(Thread::start);
        final WarmUpOptions.WarmedUp warmedUp = warmUp.run(name + " warm-up");
        final GridStats before = stats.stats();
        final ThreadCpu cpuBefore = ThreadCpu.now();
        final long start = System.nanoTime();
        measuring.set(true);
        BenchSupport.sleepWithProgress(name + " measure", seconds);
        measuring.set(false);
        final double elapsed = (System.nanoTime() - start) / 1e9;
        final Map<String, Double> cores = ThreadCpu.now().coresSince(cpuBefore, WORKER_PREFIX);
        final GridStats after = stats.stats();
        running.set(false);
        BenchSupport.joinAll(threads);
        final Histogram latency = new Histogram(3);
        long batches = 0;
        long waited = 0;
        long waitNanos = 0;
        for (final Runner runner : runners)
        {
            latency.add(runner.latency);
            batches += runner.measuredBatches;
            waited += runner.waitedBatches;
            waitNanos += runner.waitNanos;
        }
        final long accessed = after.keysAccessed() - before.keysAccessed();
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("mode", name);
        row.put("batches_per_s", batches / elapsed);
        warmedUp.report(row, elapsed);
        row.put("keys_per_s", batches * (double)batch / elapsed);
        row.put("local_share", accessed == 0 ? ("imap".equals(name) ? 0.0 : 1.0) :
            (double)(after.keysLocal() - before.keysLocal()) / accessed);
        row.put("replica_share", accessed == 0 ? 0.0 :
            (double)(after.keysFromReplica() - before.keysFromReplica()) / accessed);
        row.put("remote_ops_per_batch", batches == 0 ? 0.0 :
            (double)(after.remoteOps() - before.remoteOps()) / batches);
        row.put("bytes_per_batch", batches == 0 ? 0.0 :
            (double)(after.bytesSent() - before.bytesSent() +
                after.bytesReceived() - before.bytesReceived()) / batches);
        row.put("p50_batch_us", latency.getValueAtPercentile(50) / 1e3);
        row.put("p99_batch_us", latency.getValueAtPercentile(99) / 1e3);
        row.put("waiting_batch_share", batches == 0 ? 0.0 : (double)waited / batches);
        row.put("mean_wait_us", waited == 0 ? 0.0 : waitNanos / 1e3 / waited);
        row.put("wait_share_of_worker_time", waitNanos / 1e9 / (elapsed * runners.size()));
        row.put("cpu_cores", cores);
        row.put("sync_cpu_us_per_batch", batches == 0 ? 0.0 : cores.get(ThreadCpu.SYNC) * elapsed * 1e6 / batches);
        return row;
    }

    private abstract class Runner
    {
        final Histogram latency = new Histogram(3);
        long measuredBatches;
        /** Measured batches whose pull did not complete inside the call: some key was not local yet. */
        long waitedBatches;
        /** Time those batches spent in the pull's {@code await}. */
        long waitNanos;

        abstract void loop(AtomicBoolean running, AtomicBoolean measuring);
    }

    /** Keeps {@code ahead + 1} upcoming batches so that intents can name them before they are used. */
    private final class GridRunner extends Runner
    {
        private final GridMember member;
        private final Table table;
        private final SplittableRandom random;

        GridRunner(final GridMember member, final Table table, final long seed)
        {
            this.member = member;
            this.table = table;
            this.random = new SplittableRandom(seed);
        }

        @Override
        void loop(final AtomicBoolean running, final AtomicBoolean measuring)
        {
            final int ring = ahead + 1;
            final long[][] upcoming = new long[ring][batch];
            final float[] values = new float[batch * dim];
            final float[] update = new float[batch * dim];
            java.util.Arrays.fill(update, 0.001f);
            try (ParameterWorker worker = member.worker())
            {
                for (int c = 0; c < ahead; c++)
                {
                    drawBatch(random, upcoming[c]);
                    worker.intent(table, upcoming[c], c, c + 1);
                }
                long clock = 0;
                while (running.get())
                {
                    final long[] future = upcoming[(int)((clock + ahead) % ring)];
                    drawBatch(random, future);
                    worker.intent(table, future, clock + ahead, clock + ahead + 1);
                    final long[] now = upcoming[(int)(clock % ring)];
                    final long start = System.nanoTime();
                    final OpHandle pull = worker.pull(table, now, values);
                    final boolean local = pull == OpHandle.DONE;
                    final long awaitStart = local ? 0 : System.nanoTime();
                    pull.await();
                    final long awaited = local ? 0 : System.nanoTime() - awaitStart;
                    final OpHandle push = worker.push(table, now, update);
                    push.await();
                    if (measuring.get())
                    {
                        latency.recordValue(System.nanoTime() - start);
                        measuredBatches++;
                        if (!local)
                        {
                            waitedBatches++;
                            waitNanos += awaited;
                        }
                    }
                    clock = worker.advanceClock();
                }
            }
        }
    }

    private final class ImapRunner extends Runner
    {
        private final IMap<Long, float[]> map;
        private final SplittableRandom random;

        ImapRunner(final IMap<Long, float[]> map, final long seed)
        {
            this.map = map;
            this.random = new SplittableRandom(seed);
        }

        @Override
        void loop(final AtomicBoolean running, final AtomicBoolean measuring)
        {
            final long[] now = new long[batch];
            final Set<Long> set = new HashSet<>();
            final RemoteBench.AddProcessor add = new RemoteBench.AddProcessor(dim);
            while (running.get())
            {
                drawBatch(random, now);
                set.clear();
                for (final long k : now)
                {
                    set.add(k);
                }
                final long start = System.nanoTime();
                map.getAll(set);
                map.executeOnKeys(set, add);
                if (measuring.get())
                {
                    latency.recordValue(System.nanoTime() - start);
                    measuredBatches++;
                }
            }
        }
    }

    private static void printTable(final List<Map<String, Object>> rows)
    {
        double adaptive = Double.NaN;
        for (final Map<String, Object> row : rows)
        {
            if ("adaptive".equals(row.get("mode")))
            {
                adaptive = (double)row.get("batches_per_s");
            }
        }
        System.out.printf("%n%-17s %12s %12s %8s %8s %10s %11s %9s %9s %10s%n", "mode", "batches/s", "keys/s", "local",
            "replica", "ops/batch", "bytes/batch", "p50 us", "p99 us", "adaptive/x");
        for (final Map<String, Object> row : rows)
        {
            final double rate = (double)row.get("batches_per_s");
            row.put("adaptive_ratio", adaptive / rate);
            System.out.printf("%-17s %12.0f %12.0f %7.2f%% %7.2f%% %10.2f %11.0f %9.1f %9.1f %9.1fx%n",
                row.get("mode"), rate,
                row.get("keys_per_s"), 100 * (double)row.get("local_share"), 100 * (double)row.get("replica_share"),
                row.get("remote_ops_per_batch"), row.get("bytes_per_batch"), row.get("p50_batch_us"),
                row.get("p99_batch_us"), adaptive / rate);
        }
        System.out.printf("%nWhere the time went (measured phase): batches whose pull waited for a key, their mean " +
            "wait and the waits' share of the workers' time; CPU in cores by thread group; the JIT compilers' time " +
            "spent compiling per second (wall clock, summed over them); the warm-up before it%n");
        System.out.printf("%-17s %8s %9s %9s %8s %8s %8s %8s %8s %8s %8s %11s %9s %10s%n", "mode", "waited",
            "wait us", "wait/time", "workers", "sync", "grid I/O", "hz", "java", "JVM", "total", "sync us/b",
            "JIT busy", "warm-up s");
        for (final Map<String, Object> row : rows)
        {
            @SuppressWarnings("unchecked")
            final Map<String, Double> cores = (Map<String, Double>)row.get("cpu_cores");
            System.out.printf(
                "%-17s %7.2f%% %9.0f %8.0f%% %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f %11.1f %9.2f %10.1f%n",
                row.get("mode"), 100 * (double)row.get("waiting_batch_share"), row.get("mean_wait_us"),
                100 * (double)row.get("wait_share_of_worker_time"), cores.get(ThreadCpu.WORKERS),
                cores.get(ThreadCpu.SYNC), cores.get(ThreadCpu.GRID_OTHER), cores.get(ThreadCpu.HAZELCAST),
                cores.get(ThreadCpu.OTHER_JAVA), cores.get(ThreadCpu.JVM), cores.get(ThreadCpu.TOTAL),
                row.get("sync_cpu_us_per_batch"), row.get("jit_busy"), row.get("warmup_seconds"));
        }
    }
}
