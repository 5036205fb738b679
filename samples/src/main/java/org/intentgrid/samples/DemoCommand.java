package org.intentgrid.samples;

import org.intentgrid.samples.kge.KgeCommand;
import org.intentgrid.samples.train.AppRecipe;
import org.intentgrid.samples.train.Plots;
import org.intentgrid.samples.train.Reports;
import org.intentgrid.samples.train.Trainer;
import org.intentgrid.samples.train.TrainingResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The default demo: the same knowledge graph embedding model trained twice on a generated graph by two embedded
 * members with the same time budget — adaptively (intents 4000 triples ahead: keys move to or are replicated at the
 * member that will use them), and as a classic parameter server (mode static: every key stays at its home member,
 * half of all accesses are remote) — each on a fresh grid of two members, with both quality curves over training
 * time in one plot and a closing line that compares them. About a minute on 2 cores (plus the build on the first
 * run). Further {@code kge} options are passed through to both runs (for example {@code --gen-entities 2000} or
 * {@code --dim 50}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Train knowledge graph embeddings on a generated graph with 2 embedded members, as a classic " +
        "parameter server and adaptively, for the same time budget each; plots both (about a minute). Takes any " +
        "kge option but --mode, --json and --time-budget.")
final class DemoCommand implements Callable<Integer>
{
    private static final String[] DEFAULTS = {"--members", "2", "--threads", "1", "--epochs", "1000",
        "--gen-entities", "1000"};
    private static final Map<String, String> RUNS = new LinkedHashMap<>();

    static
    {
        // adaptive first: the second run of a JVM starts with the model's code compiled, so this order favours the
        // classic run, not the one the demo argues for
        RUNS.put("adaptive", "adaptive (intents)");
        RUNS.put("static", "classic parameter server (static)");
    }

    @Option(names = "--budget", defaultValue = "20",
        description = "seconds of training per run; each stops after the epoch that reaches it (default " +
            "${DEFAULT-VALUE})")
    double budgetSeconds;

    @Option(names = "--out", defaultValue = "results",
        description = "directory for demo.json and the plots (default ${DEFAULT-VALUE})")
    File out;

    @Unmatched
    List<String> kgeOptions = new ArrayList<>();

    @Override
    public Integer call()
    {
        for (final String option : kgeOptions)
        {
            if (option.startsWith("--mode") || option.startsWith("--json") || option.startsWith("--time-budget"))
            {
                throw new IllegalArgumentException("the demo runs both modes with --budget seconds each and writes " +
                    "its files to --out; " + option + " is not accepted here (use bin/intentgrid kge for one run)");
            }
        }
        if (!(budgetSeconds > 0))
        {
            throw new IllegalArgumentException("--budget " + budgetSeconds + " is invalid; expected seconds > 0");
        }
        final Map<String, TrainingResult> results = new LinkedHashMap<>();
        for (final Map.Entry<String, String> run : RUNS.entrySet())
        {
            System.out.printf("%n=== %s: %.0f s of training ===%n", run.getValue(), budgetSeconds);
            results.put(run.getKey(), train(run.getKey()));
        }
        report(results);
        return 0;
    }

    private TrainingResult train(final String mode)
    {
        final List<String> args = new ArrayList<>(List.of(DEFAULTS));
        args.addAll(kgeOptions);
        args.addAll(List.of("--mode", mode, "--time-budget", String.valueOf(budgetSeconds),
            "--json", new File(out, "demo-" + mode + ".json").getPath()));
        final CommandLine commandLine = new CommandLine(new KgeCommand()).setOverwrittenOptionsAllowed(true);
        commandLine.parseArgs(args.toArray(new String[0]));
        final KgeCommand command = commandLine.getCommand();
        final TrainingResult result = new Trainer(command.app(), command.options(), AppRecipe.of(command, args))
            .run();
        Reports.write(result, command.options().jsonFile("kge"));
        return result;
    }

    private void report(final Map<String, TrainingResult> results)
    {
        final TrainingResult classic = results.get("static");
        final TrainingResult adaptive = results.get("adaptive");
        final String metric = adaptive.qualityMetric();
        final Map<String, List<double[]>> quality = new LinkedHashMap<>();
        final Map<String, List<double[]>> locality = new LinkedHashMap<>();
        results.forEach((mode, result) ->
        {
            quality.put(RUNS.get(mode), result.qualityOverTime());
            locality.put(RUNS.get(mode), result.locality());
        });
        final List<File> files = new ArrayList<>();
        final File qualityPng = new File(out, "demo-quality.png");
        if (Plots.lines(qualityPng, metric + " over training time, same model, 2 members each", "training seconds",
            metric, quality, Double.NaN, ""))
        {
            files.add(qualityPng);
        }
        final File localityPng = new File(out, "demo-locality.png");
        if (Plots.lines(localityPng, "share of local accesses", "training seconds", "local share", locality,
            Double.NaN, ""))
        {
            files.add(localityPng);
        }
        final double classicSeconds = seconds(classic);
        final double catchUp = secondsToReach(adaptive, classic.finalQuality());
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("budget_seconds", budgetSeconds);
        summary.put("quality_metric", metric);
        summary.put("static_quality", classic.finalQuality());
        summary.put("static_seconds", classicSeconds);
        summary.put("static_epochs", classic.epochs().size());
        summary.put("adaptive_quality", adaptive.finalQuality());
        summary.put("adaptive_seconds", seconds(adaptive));
        summary.put("adaptive_epochs", adaptive.epochs().size());
        summary.put("adaptive_seconds_to_static_quality", Double.isNaN(catchUp) ? null : catchUp);
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("summary", summary);
        results.forEach((mode, result) -> json.put(mode, result.toJson()));
        final File jsonFile = new File(out, "demo.json");
        Json.write(jsonFile, json);
        files.add(0, jsonFile);
        System.out.println();
        for (final File file : files)
        {
            System.out.println("wrote " + file);
        }
        System.out.printf("%nadaptive reached %s %.3f in %.1f s (%d epochs); the classic parameter server reached " +
            "%.3f in %.1f s (%d epochs)%s%n", metric, adaptive.finalQuality(), seconds(adaptive),
            adaptive.epochs().size(), classic.finalQuality(), classicSeconds, classic.epochs().size(),
            Double.isNaN(catchUp) ? "" : String.format("; adaptive was there after %.1f s (%.1fx sooner)", catchUp,
                classicSeconds / catchUp));
    }

    private static double seconds(final TrainingResult result)
    {
        final List<double[]> points = result.qualityOverTime();
        return points.get(points.size() - 1)[0];
    }

    /** @return the training seconds after which {@code result} first reached {@code target}, or NaN if never */
    private static double secondsToReach(final TrainingResult result, final double target)
    {
        for (final double[] point : result.qualityOverTime())
        {
            if (result.higherIsBetter() ? point[1] >= target : point[1] <= target)
            {
                return point[0];
            }
        }
        return Double.NaN;
    }
}
