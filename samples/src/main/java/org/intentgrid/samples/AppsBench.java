package org.intentgrid.samples;

import org.intentgrid.GridConfig;
import org.intentgrid.samples.kge.KgeCommand;
import org.intentgrid.samples.mf.MfCommand;
import org.intentgrid.samples.train.AppCommand;
import org.intentgrid.samples.train.AppRecipe;
import org.intentgrid.samples.train.Plots;
import org.intentgrid.samples.train.TrainOptions;
import org.intentgrid.samples.train.Trainer;
import org.intentgrid.samples.train.TrainingResult;
import org.intentgrid.samples.w2v.W2vCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Every training app on the same generated data in the configurations that tell whether distribution pays:
 * 1 member x 1 thread, 1 x 2, 2 x 1 adaptive (embedded and forked), 2 x 1 replication-only, 2 x 1
 * relocation-only (and static on request). Each configuration trains its warm-up epochs and then the measured
 * ones in one run (so that every configuration trains the same number of epochs and compares at equal quality):
 * the warm-up lets the JVMs compile the code, which on 2 cores takes 15-40 s of a multi-member run and slows
 * its first epochs far more than a single member's (whose JIT has the second core to itself); forked members
 * start their JVMs cold. Reports seconds per epoch of the measured epochs (median and mean) and of the warm-up
 * (median), quality after the last epoch, bytes sent and local share per measured epoch, the CPU time per
 * measured epoch of the worker threads and of everything else in the members' JVMs (sync, I/O and Hazelcast
 * threads, JIT, GC; of every member JVM in a forked run), and the speedups over 1 x 1, as a table, JSON and a PNG
 * bar chart.
 */
@Command(name = "apps", mixinStandardHelpOptions = true,
    description = "mf, kge and w2v at 1x1, 1x2, 2x1 (adaptive embedded and forked, replication-only, " +
        "relocation-only): seconds per epoch, quality, traffic, speedups.")
final class AppsBench implements Callable<Integer>
{
    @Option(names = "--apps", split = ",", defaultValue = "mf,kge,w2v",
        description = "apps to run (default ${DEFAULT-VALUE})")
    List<String> apps;

    @Option(names = "--epochs", defaultValue = "10",
        description = "epochs measured in each run, after its warm-up (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--warmup-epochs", paramLabel = "N",
        description = "epochs each configuration trains before its measured ones, so that its JVMs have compiled " +
            "the code (default: the app's own, about 15-20 s of 2 x 1 training: mf 40, kge 20, w2v 6)")
    Integer warmupEpochs;

    @Option(names = "--with-static", description = "also run 2 x 1 static (the classic parameter server; slow)")
    boolean withStatic;

    @Option(names = "--compare-backups",
        description = "also run the 2 x 1 adaptive setups without backups (--backups 0): what crash safety costs")
    boolean compareBackups;

    @Option(names = "--no-fork", description = "skip the forked 2 x 1 run")
    boolean noFork;

    @Option(names = "--only", split = ",",
        description = "run only these configurations, e.g. 1x1,2x1-adaptive (default: all)")
    List<String> only;

    @Option(names = "--json", defaultValue = "target/bench-apps.json", description = "result file (PNG next to it)")
    File json;

    @Option(names = "--relocation-limit", paramLabel = "N|none", defaultValue = "none",
        description = "the adaptive runs' relocation limit (default ${DEFAULT-VALUE}; 2 suits kge)")
    String relocationLimit;

    @Option(names = "--small", description = "tiny datasets instead of the benchmark's (a smoke test, not a measure)")
    boolean small;

    /** One way to run an app: members x threads, mode, embedded or forked. */
    record Setup(String label, int members, int threads, String mode, boolean fork, int backups)
    {
        Setup(final String label, final int members, final int threads, final String mode, final boolean fork)
        {
            this(label, members, threads, mode, fork, GridConfig.BACKUPS_DEFAULT);
        }

        List<String> args()
        {
            final List<String> args = new ArrayList<>(List.of("--members", String.valueOf(members), "--threads",
                String.valueOf(threads), "--mode", mode, "--quiet", "--backups", String.valueOf(backups)));
            if (fork)
            {
                args.add("--fork");
            }
            return args;
        }
    }

    /**
     * An app with the data sizes of this benchmark (an epoch takes at least ~0.3 s on one member) and the epochs
     * it trains before the measured ones.
     */
    record Workload(String name, Supplier<AppCommand> command, List<String> args, int warmupEpochs)
    {
    }

    private static final List<Workload> SMALL_WORKLOADS = List.of(
        new Workload("mf", MfCommand::new, List.of("--gen-rows", "300", "--gen-columns", "200",
            "--gen-entries", "8000", "--gen-rank", "4", "--rank", "8"), 1),
        new Workload("kge", KgeCommand::new, List.of("--gen-entities", "200", "--dim", "16"), 1),
        new Workload("w2v", W2vCommand::new, List.of("--gen-sentences", "300"), 1));

    private static final List<Workload> WORKLOADS = List.of(
        new Workload("mf", MfCommand::new, List.of("--gen-rows", "30000", "--gen-columns", "6000",
            "--gen-entries", "2000000", "--gen-rank", "10", "--rank", "10"), 40),
        new Workload("kge", KgeCommand::new, List.of("--gen-entities", "3000", "--dim", "100"), 20),
        new Workload("w2v", W2vCommand::new, List.of("--gen-sentences", "10000"), 6));

    private List<Setup> setups()
    {
        final List<Setup> setups = new ArrayList<>(List.of(
            new Setup("1x1", 1, 1, "adaptive", false),
            new Setup("1x2", 1, 2, "adaptive", false),
            new Setup("2x1-adaptive", 2, 1, "adaptive", false)));
        if (compareBackups)
        {
            setups.add(new Setup("2x1-adaptive-no-backups", 2, 1, "adaptive", false, 0));
        }
        if (!noFork)
        {
            setups.add(new Setup("2x1-adaptive-fork", 2, 1, "adaptive", true));
            if (compareBackups)
            {
                setups.add(new Setup("2x1-adaptive-fork-no-backups", 2, 1, "adaptive", true, 0));
            }
        }
        setups.add(new Setup("2x1-replication-only", 2, 1, "replication-only", false));
        setups.add(new Setup("2x1-relocation-only", 2, 1, "relocation-only", false));
        if (withStatic)
        {
            setups.add(new Setup("2x1-static", 2, 1, "static", false));
        }
        if (only != null)
        {
            setups.removeIf(s -> !only.contains(s.label()));
        }
        return setups;
    }

    @Override
    public Integer call()
    {
        if (epochs < 1)
        {
            throw new IllegalArgumentException("--epochs " + epochs + " is out of range; expected at least 1 " +
                "measured epoch");
        }
        if (warmupEpochs != null && warmupEpochs < 0)
        {
            throw new IllegalArgumentException("--warmup-epochs " + warmupEpochs + " is out of range; expected 0 or " +
                "more warm-up epochs");
        }
        IntentGridCli.quietHazelcast();
        final int limit = TrainOptions.parseRelocationLimit(relocationLimit);
        final Map<String, Object> results = new LinkedHashMap<>();
        final Map<String, Map<String, Double>> secondsChart = new LinkedHashMap<>();
        final List<Setup> setups = setups();
        for (final Workload workload : small ? SMALL_WORKLOADS : WORKLOADS)
        {
            if (!apps.contains(workload.name()))
            {
                continue;
            }
            final Map<String, Object> perSetup = new LinkedHashMap<>();
            Map<String, Object> baseline = null;
            final int warmup = warmupEpochs != null ? warmupEpochs : workload.warmupEpochs();
            System.out.printf("%n%s, %d epochs measured after %d of warm-up in each run (%s)%n", workload.name(),
                epochs, warmup, String.join(" ", workload.args()));
            System.out.printf("%-22s %9s %9s %9s %10s %9s %12s %11s %11s %8s %8s%n", "configuration", "median s",
                "mean s", "warm-up s", "quality", "local %", "MB sent/ep", "worker cpu", "other cpu", "speedup",
                "warm-up");
            for (final Setup setup : setups)
            {
                final Map<String, Object> row = run(workload, setup, warmup);
                final double median = (Double)row.get("seconds_median");
                if (setup.label().equals("1x1"))
                {
                    baseline = row;
                }
                if (baseline != null)
                {
                    row.put("speedup_vs_1x1", (Double)baseline.get("seconds_median") / median);
                    if (warmup > 0)
                    {
                        row.put("warmup_speedup_vs_1x1",
                            (Double)baseline.get("warmup_seconds_median") / (Double)row.get("warmup_seconds_median"));
                    }
                }
                perSetup.put(setup.label(), row);
                secondsChart.computeIfAbsent(setup.label(), k -> new LinkedHashMap<>()).put(workload.name(), median);
                System.out.printf("%-22s %9.3f %9.3f %9s %10.4f %9.1f %12.2f %11s %11s %8s %8s%n", setup.label(),
                    median, row.get("seconds_mean"), seconds(row.get("warmup_seconds_median")), row.get("quality"),
                    100 * (Double)row.get("local_share"), (Double)row.get("bytes_sent_per_epoch") / 1e6,
                    seconds(row.get("worker_cpu_seconds_per_epoch")), seconds(row.get("other_cpu_seconds_per_epoch")),
                    speedup(row.get("speedup_vs_1x1")), speedup(row.get("warmup_speedup_vs_1x1")));
            }
            final Map<String, Object> app = new LinkedHashMap<>();
            app.put("warmup_epochs", warmup);
            app.put("configurations", perSetup);
            results.put(workload.name(), app);
        }
        Json.write(json, Map.of("epochs", epochs, "relocation_limit", limit == Integer.MAX_VALUE ? "none" : limit,
            "apps", results));
        final File png = new File(json.getPath().replaceAll("\\.json$", "") + ".png");
        Plots.bars(png, "Seconds per epoch (median), lower is better", "app", "seconds", transpose(secondsChart));
        System.out.println("\nwritten: " + json + ", " + png);
        return 0;
    }

    /**
     * Trains {@code warmup} + {@code --epochs} epochs in one run and measures the last {@code --epochs}.
     */
    private Map<String, Object> run(final Workload workload, final Setup setup, final int warmup)
    {
        final AppCommand command = workload.command().get();
        final List<String> args = new ArrayList<>(workload.args());
        args.addAll(setup.args());
        args.addAll(List.of("--epochs", String.valueOf(warmup + epochs), "--relocation-limit", relocationLimit));
        new CommandLine(command).parseArgs(args.toArray(new String[0]));
        final TrainingResult result = new Trainer(command.app(), command.options(), AppRecipe.of(command, args)).run();
        final List<Map<String, Object>> epochRows = result.epochs();
        final double[] allSeconds = new double[epochRows.size()];
        for (int e = 0; e < allSeconds.length; e++)
        {
            allSeconds[e] = ((Number)epochRows.get(e).get("seconds")).doubleValue();
        }
        final double[] seconds = Arrays.copyOfRange(allSeconds, warmup, allSeconds.length);
        double bytes = 0;
        double local = 0;
        double workerCpu = 0;
        double otherCpu = 0;
        int cpuEpochs = 0;
        for (final Map<String, Object> row : epochRows.subList(warmup, epochRows.size()))
        {
            bytes += ((Number)row.get("bytes_sent")).doubleValue();
            local += ((Number)row.get("local_share")).doubleValue();
            if (row.containsKey("worker_cpu_seconds"))
            {
                workerCpu += ((Number)row.get("worker_cpu_seconds")).doubleValue();
                otherCpu += ((Number)row.get("other_cpu_seconds")).doubleValue();
                cpuEpochs++;
            }
        }
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("members", setup.members());
        row.put("threads", setup.threads());
        row.put("mode", setup.mode());
        row.put("fork", setup.fork());
        row.put("seconds_median", median(seconds));
        row.put("seconds_mean", Arrays.stream(seconds).average().orElse(0));
        if (warmup > 0)
        {
            row.put("warmup_seconds_median", median(Arrays.copyOfRange(allSeconds, 0, warmup)));
        }
        row.put("seconds_per_epoch", allSeconds);
        row.put("quality_metric", result.qualityMetric());
        row.put("quality", result.finalQuality());
        row.put("local_share", local / seconds.length);
        row.put("bytes_sent_per_epoch", bytes / seconds.length);
        if (cpuEpochs > 0)
        {
            row.put("worker_cpu_seconds_per_epoch", workerCpu / cpuEpochs);
            row.put("other_cpu_seconds_per_epoch", otherCpu / cpuEpochs);
        }
        return row;
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] :
            (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String speedup(final Object value)
    {
        return value == null ? "-" : String.format("%.2fx", (Double)value);
    }

    /** @return seconds with three decimals, or "-" where not measured (a run without warm-up) */
    private static String seconds(final Object value)
    {
        return value == null ? "-" : String.format("%.3f", (Double)value);
    }

    private static Map<String, Map<String, Double>> transpose(final Map<String, Map<String, Double>> bySetup)
    {
        final Map<String, Map<String, Double>> byApp = new LinkedHashMap<>();
        bySetup.forEach((setup, apps) -> apps.forEach((app, value) ->
            byApp.computeIfAbsent(app, a -> new LinkedHashMap<>()).put(setup, value)));
        return byApp;
    }
}
