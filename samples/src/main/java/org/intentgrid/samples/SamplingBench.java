package org.intentgrid.samples;

import org.intentgrid.GridConfig;
import org.intentgrid.GridMember;
import org.intentgrid.GridStats;
import org.intentgrid.KeyDistribution;
import org.intentgrid.OpHandle;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.SampleHandle;
import org.intentgrid.Sampling;
import org.intentgrid.SamplingScheme;
import org.intentgrid.SamplingStats;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A knowledge-graph-embedding-like access pattern: per example, the subject and object entities and the
 * relation (three direct keys, Zipf-popular, intended {@code --ahead} examples in advance) plus
 * {@code 2 x --negatives} entities from the sampling API, all pulled and then pushed. Runs once per sampling
 * scheme on the same grid size; {@code classic} is scheme {@code naive} in mode {@code static}, the classic
 * parameter server.
 */
@Command(name = "sampling", mixinStandardHelpOptions = true,
    description = "KGE-like workload (3 direct keys + 2 x 6 negatives per example) per sampling scheme: " +
        "samples/s, local share, remote operations per example.")
final class SamplingBench implements Runnable
{
    @Option(names = "--members", defaultValue = "3", description = "members (default ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--workers", defaultValue = "1", description = "workers per member (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--entities", defaultValue = "50000", description = "entities (default ${DEFAULT-VALUE})")
    int entities;

    @Option(names = "--relations", defaultValue = "200", description = "relations (default ${DEFAULT-VALUE})")
    int relations;

    @Option(names = "--dim", defaultValue = "64", description = "floats per key (default ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--negatives", defaultValue = "6", description = "negatives per side (default ${DEFAULT-VALUE})")
    int negatives;

    @Option(names = "--ahead", defaultValue = "200", description = "examples of look-ahead (default ${DEFAULT-VALUE})")
    int ahead;

    @Option(names = "--pool-size", defaultValue = "1000",
        description = "pool size of scheme pool (default ${DEFAULT-VALUE})")
    int poolSize;

    @Option(names = "--reuse", defaultValue = "4",
        description = "reuse factor of scheme pool (default ${DEFAULT-VALUE})")
    int reuse;

    @Option(names = "--seconds", defaultValue = "5",
        description = "measured seconds per scheme (default ${DEFAULT-VALUE})")
    double seconds;

    @Mixin
    WarmUpOptions warmUp = new WarmUpOptions();

    @Option(names = "--schemes", defaultValue = "classic,naive,preloc,pool,local", split = ",",
        description = "schemes to run, in order; also local-scan, the local scheme scanning upwards from one drawn " +
            "key (default ${DEFAULT-VALUE})")
    List<String> schemes;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", defaultValue = "target/bench-sampling.json", description = "result file")
    File json;

    @Override
    public void run()
    {
        warmUp.validate();
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (final String scheme : schemes)
        {
            System.out.printf("%n== %s ==%n", scheme);
            rows.add(runScheme(scheme));
        }
        printTable(rows);
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "sampling");
        result.put("members", members);
        result.put("workers_per_member", workers);
        result.put("entities", entities);
        result.put("relations", relations);
        result.put("dim", dim);
        result.put("negatives_per_example", 2 * negatives);
        result.put("ahead", ahead);
        result.put("pool_size", poolSize);
        result.put("reuse", reuse);
        result.put("seconds", seconds);
        result.put("schemes", rows);
        Json.write(json, result);
        System.out.println("Results written to " + json);
    }

    private Map<String, Object> runScheme(final String name)
    {
        final boolean classic = "classic".equals(name);
        final boolean scan = "local-scan".equals(name);
        final SamplingScheme scheme = classic ? SamplingScheme.NAIVE :
            scan ? SamplingScheme.LOCAL : SamplingScheme.parse(name);
        final Mode mode = classic ? Mode.STATIC : Mode.ADAPTIVE;
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(members).mode(mode)))
        {
            final Table entityTable = grid.table(TableSpec.of("entities", entities, dim));
            final Table relationTable = grid.table(TableSpec.of("relations", relations, dim));
            BenchSupport.touchAll(grid, entityTable);
            BenchSupport.touchAll(grid, relationTable);
            grid.enableSampling(entityTable, Sampling.of(KeyDistribution.uniform(0, entities)).scheme(scheme)
                .poolSize(poolSize).reuse(reuse).localScan(scan).seed(seed));
            final List<Runner> runners = new ArrayList<>();
            for (int m = 0; m < members; m++)
            {
                for (int w = 0; w < workers; w++)
                {
                    runners.add(new Runner(grid.member(m), entityTable, relationTable, seed * 1000 + m * 100 + w));
                }
            }
            final AtomicBoolean running = new AtomicBoolean(true);
            final AtomicBoolean measuring = new AtomicBoolean(false);
            final List<Thread> threads = new ArrayList<>();
            for (final Runner runner : runners)
            {
                threads.add(new Thread(() -> runner.loop(running, measuring), "sampling-" + name));
            }
            threads.forEach(Thread::start);
            final WarmUpOptions.WarmedUp warmedUp = warmUp.run(name + " warm-up");
            final GridStats before = grid.stats();
            final SamplingStats samplesBefore = grid.samplingStats(entityTable);
            final long start = System.nanoTime();
            measuring.set(true);
            BenchSupport.sleepWithProgress(name + " measure", seconds);
            measuring.set(false);
            final double elapsed = (System.nanoTime() - start) / 1e9;
            final GridStats after = grid.stats();
            final SamplingStats samplesAfter = grid.samplingStats(entityTable);
            running.set(false);
            BenchSupport.joinAll(threads);
            long examples = 0;
            for (final Runner runner : runners)
            {
                examples += runner.measuredExamples;
            }
            final long pulled = samplesAfter.samplesPulled() - samplesBefore.samplesPulled();
            final long accessed = after.keysAccessed() - before.keysAccessed();
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("scheme", name);
            row.put("mode", mode.label());
            row.put("examples_per_s", examples / elapsed);
            warmedUp.report(row, elapsed);
            row.put("samples_per_s", pulled / elapsed);
            row.put("sample_local_share", pulled == 0 ? 0.0 :
                (double)(samplesAfter.samplesLocal() - samplesBefore.samplesLocal()) / pulled);
            row.put("local_share", accessed == 0 ? 0.0 : (double)(after.keysLocal() - before.keysLocal()) / accessed);
            row.put("remote_ops_per_example", examples == 0 ? 0.0 :
                (double)(after.remoteOps() - before.remoteOps()) / examples);
            row.put("bytes_per_example", examples == 0 ? 0.0 :
                (double)(after.bytesSent() - before.bytesSent() +
                    after.bytesReceived() - before.bytesReceived()) / examples);
            row.put("checks_per_sample", pulled == 0 ? 0.0 :
                (double)(samplesAfter.candidateChecks() - samplesBefore.candidateChecks()) / pulled);
            row.put("fallbacks", samplesAfter.fallbacks() - samplesBefore.fallbacks());
            row.put("pool_refreshes", samplesAfter.poolRefreshes() - samplesBefore.poolRefreshes());
            long replicas = 0;
            for (final GridMember member : grid.members())
            {
                replicas += member.replicas(entityTable);
            }
            row.put("entity_replicas_at_end", replicas);
            return row;
        }
    }

    /** One worker: keeps {@code ahead + 1} upcoming examples whose keys were intended and samples prepared. */
    private final class Runner
    {
        private final GridMember member;
        private final Table entityTable;
        private final Table relationTable;
        private final SplittableRandom random;
        private final KeyDistribution entityPopularity;
        private final KeyDistribution relationPopularity;
        long measuredExamples;

        Runner(final GridMember member, final Table entityTable, final Table relationTable, final long seed)
        {
            this.member = member;
            this.entityTable = entityTable;
            this.relationTable = relationTable;
            this.random = new SplittableRandom(seed);
            this.entityPopularity = KeyDistribution.zipf(0, entities, 0.8);
            this.relationPopularity = KeyDistribution.zipf(0, relations, 1.0);
        }

        void loop(final AtomicBoolean running, final AtomicBoolean measuring)
        {
            final int ring = ahead + 1;
            final long[][] entityKeys = new long[ring][2];
            final long[][] relationKey = new long[ring][1];
            final SampleHandle[] samples = new SampleHandle[ring];
            final float[] entityValues = new float[2 * dim];
            final float[] relationValues = new float[dim];
            final long[] negativeKeys = new long[negatives];
            final float[][] negativeValues = {new float[negatives * dim], new float[negatives * dim]};
            final long[][] negativesOfExample = new long[2][negatives];
            final float[] entityUpdate = new float[2 * dim];
            final float[] relationUpdate = new float[dim];
            final float[] negativeUpdate = new float[negatives * dim];
            Arrays.fill(entityUpdate, 0.001f);
            Arrays.fill(relationUpdate, 0.001f);
            Arrays.fill(negativeUpdate, -0.001f);
            try (ParameterWorker worker = member.worker())
            {
                for (int c = 0; c < ahead; c++)
                {
                    plan(worker, c, entityKeys[c], relationKey[c], samples, c);
                }
                long clock = 0;
                while (running.get())
                {
                    final int future = (int)((clock + ahead) % ring);
                    plan(worker, clock + ahead, entityKeys[future], relationKey[future], samples, future);
                    final int now = (int)(clock % ring);
                    final OpHandle entityPull = worker.pull(entityTable, entityKeys[now], entityValues);
                    final OpHandle relationPull = worker.pull(relationTable, relationKey[now], relationValues);
                    for (int side = 0; side < 2; side++)
                    {
                        worker.pullSample(samples[now], negativeKeys, negativeValues[side]).await();
                        System.arraycopy(negativeKeys, 0, negativesOfExample[side], 0, negatives);
                    }
                    worker.finishSample(samples[now]);
                    entityPull.await();
                    relationPull.await();
                    worker.push(entityTable, entityKeys[now], entityUpdate);
                    worker.push(relationTable, relationKey[now], relationUpdate);
                    worker.push(entityTable, negativesOfExample[0], negativeUpdate);
                    worker.push(entityTable, negativesOfExample[1], negativeUpdate);
                    if (measuring.get())
                    {
                        measuredExamples++;
                    }
                    clock = worker.advanceClock();
                }
            }
        }

        private void plan(
            final ParameterWorker worker, final long clock, final long[] entityKeys, final long[] relationKey,
            final SampleHandle[] samples, final int slot)
        {
            entityKeys[0] = entityPopularity.draw(random);
            entityKeys[1] = entityPopularity.draw(random);
            relationKey[0] = relationPopularity.draw(random);
            worker.intent(entityTable, entityKeys, clock, clock + 1);
            worker.intent(relationTable, relationKey, clock, clock + 1);
            samples[slot] = worker.prepareSample(entityTable, 2 * negatives, clock, clock + 1);
        }
    }

    private static void printTable(final List<Map<String, Object>> rows)
    {
        double classic = Double.NaN;
        for (final Map<String, Object> row : rows)
        {
            if ("classic".equals(row.get("scheme")))
            {
                classic = (double)row.get("samples_per_s");
            }
        }
        System.out.printf("%n%-9s %12s %12s %13s %10s %13s %13s %9s %9s %10s%n", "scheme", "examples/s", "samples/s",
            "sample local", "all local", "remote ops/ex", "bytes/example", "checks", "fallbacks", "vs classic");
        for (final Map<String, Object> row : rows)
        {
            final double rate = (double)row.get("samples_per_s");
            if (!Double.isNaN(classic))
            {
                row.put("classic_ratio", rate / classic);
            }
            System.out.printf("%-9s %12.0f %12.0f %12.1f%% %9.1f%% %13.2f %13.0f %9.2f %9d %10s%n", row.get("scheme"),
                row.get("examples_per_s"), rate, 100 * (double)row.get("sample_local_share"),
                100 * (double)row.get("local_share"), row.get("remote_ops_per_example"), row.get("bytes_per_example"),
                row.get("checks_per_sample"), row.get("fallbacks"),
                Double.isNaN(classic) ? "-" : String.format("%.2fx", rate / classic));
        }
    }
}
