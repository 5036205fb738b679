package org.intentgrid.samples.kge;

import org.intentgrid.GridConfig;
import org.intentgrid.ParameterGrid;
import org.intentgrid.samples.Json;
import org.intentgrid.samples.train.MemberJvms;
import org.intentgrid.samples.train.Plots;
import org.intentgrid.samples.train.TrainingCheckpoints;
import org.intentgrid.spi.Mode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * {@code bin/intentgrid stream kge}: knowledge graph embeddings trained online by a Jet job on embedded members,
 * from a stream of triples that a generator writes into an IMap's event journal.
 */
@Command(name = "kge", mixinStandardHelpOptions = true,
    description = "Online knowledge graph embeddings: a generator streams triples into an IMap event journal, a Jet " +
        "job on every member trains them with look-ahead intents; a live line per second, JSON and PNG plots.")
public final class KgeStreamCommand implements Callable<Integer>
{
    @Mixin
    GraphOptions graph;

    @Option(names = "--data", description = "directory with train.del, valid.del, test.del (default: generate)")
    File data;

    @Option(names = "--members", defaultValue = "2", description = "embedded members (default ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--fork", description = "run each member but this one in its own JVM on 127.0.0.1")
    boolean fork;

    @Option(names = "--mode", defaultValue = "adaptive",
        description = "adaptive, replication-only, relocation-only or static (default ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--seconds", defaultValue = "30",
        description = "how long the stream runs (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--rate", defaultValue = "5000",
        description = "triples per second produced (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--lookahead", defaultValue = "1000",
        description = "items ahead of training that get intents; 0 for none (default ${DEFAULT-VALUE})")
    int lookahead;

    @Option(names = "--items-per-step", defaultValue = "1", description = "items per step (default ${DEFAULT-VALUE})")
    int itemsPerStep;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--eval-every", defaultValue = "5",
        description = "seconds between rolling validations (default ${DEFAULT-VALUE})")
    double evalEvery;

    @Option(names = "--eval-triples", defaultValue = "200",
        description = "validation triples of a rolling validation (default ${DEFAULT-VALUE})")
    int evalTriples;

    @Option(names = "--restart-at", defaultValue = "0",
        description = "restart the job (Job.restart) after this many seconds to show recovery; 0: never")
    double restartAt;

    @Option(names = "--snapshot-every", defaultValue = "5",
        description = "seconds between the job's snapshots (default ${DEFAULT-VALUE})")
    double snapshotEvery;

    @Option(names = "--exactly-once", description = "exactly-once training: the job's guarantee EXACTLY_ONCE and a " +
        "grid checkpoint after every snapshot, in a directory next to --json (default: at-least-once)")
    boolean exactlyOnce;

    @Option(names = "--jet-threads", defaultValue = "1",
        description = "cooperative Jet threads per member (default ${DEFAULT-VALUE})")
    int jetThreads;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", defaultValue = "results/stream-kge.json", description = "result file; PNG plots " +
        "are written next to it (default ${DEFAULT-VALUE})")
    File json;

    @Override
    public Integer call() throws InterruptedException
    {
        final KgeStream.Settings settings = settings();
        final Mode parsedMode = Mode.parse(mode);
        final GraphOptions.Graph g = graph.graph(data, seed);
        System.out.printf("stream kge: %s; %d %s members (%s), look-ahead %d, %,d triples/s for %.0f s, %s%n",
            g.description(), members, fork ? "forked" : "embedded", parsedMode.label(), lookahead, rate, seconds,
            exactlyOnce ? "exactly-once" : "at-least-once");
        final KgeStream.Result result;
        final GridConfig config = GridConfig.embedded().members(fork ? 1 : members).mode(parsedMode).jet(jetThreads);
        try (ParameterGrid grid = ParameterGrid.start(config);
             MemberJvms memberJvms = fork ? new MemberJvms(config, members - 1, List.of("--mode", mode,
                 "--jet-threads", String.valueOf(jetThreads))) : null)
        {
            if (memberJvms != null)
            {
                memberJvms.awaitJoined(grid.member(0).hazelcast(), members);
            }
            final KgeStream stream = new KgeStream(grid, g.train(), g.valid(), g.test(), g.entities(), g.relations(),
                settings);
            stream.prepare();
            result = stream.run(System.out);
        }
        System.out.printf("produced %,d, trained %,d (%,.0f items/s), rejected %,d; local %.2f%%; lag mean %,.0f ms, " +
            "max %,d ms; valid MRR (filtered, all %d) %.4f, Hits@10 %.4f%n", result.produced(), result.trained(),
            result.itemsPerSecond(), result.rejected(), 100 * result.localShare(), result.meanLagMillis(),
            result.maxLagMillis(), g.valid().size(), result.validation().get("mrr_filtered"),
            result.validation().get("hits10_filtered"));
        write(g, parsedMode, result);
        return 0;
    }

    private KgeStream.Settings settings()
    {
        final KgeModel model = modelOptions.validated();
        if (members < 1 || seconds <= 0 || rate < 1 || lookahead < 0 || itemsPerStep < 1 || evalEvery <= 0 ||
            evalTriples < 1 || restartAt < 0 || snapshotEvery <= 0 || jetThreads < 1)
        {
            throw new IllegalArgumentException("expected --members >= 1, --seconds > 0, --rate >= 1, --lookahead >= " +
                "0, --items-per-step >= 1, --eval-every > 0, --eval-triples >= 1, --restart-at >= 0, " +
                "--snapshot-every > 0, --jet-threads >= 1");
        }
        return new KgeStream.Settings(model, modelOptions.dim, modelOptions.negRatio, modelOptions.learningRate,
            modelOptions.regularization, lookahead, itemsPerStep, rate, seconds, evalEvery, evalTriples, restartAt,
            (long)(snapshotEvery * 1000), seed, exactlyOnce ? checkpointDirectory() : null);
    }

    /** @return where exactly-once runs keep their grid checkpoints: next to the JSON, emptied first */
    private String checkpointDirectory()
    {
        final File directory = new File(json.getAbsoluteFile().getParentFile(), "stream-kge-checkpoints");
        try
        {
            if (directory.exists())
            {
                TrainingCheckpoints.deleteTree(directory.toPath());
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot empty " + directory, e);
        }
        return directory.getPath();
    }

    private void write(final GraphOptions.Graph g, final Mode parsedMode, final KgeStream.Result result)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("app", "stream-kge");
        out.put("dataset", g.description());
        out.put("members", members);
        out.put("fork", fork);
        out.put("mode", parsedMode.label());
        out.put("lookahead", lookahead);
        out.put("items_per_step", itemsPerStep);
        out.put("rate", rate);
        out.put("seconds", seconds);
        out.put("restart_at", restartAt);
        out.put("guarantee", exactlyOnce ? "exactly-once" : "at-least-once");
        out.put("produced", result.produced());
        out.put("trained", result.trained());
        out.put("rejected", result.rejected());
        out.put("items_per_second", result.itemsPerSecond());
        out.put("local_share", result.localShare());
        out.put("lag_mean_ms", result.meanLagMillis());
        out.put("lag_max_ms", result.maxLagMillis());
        out.put("validation", result.validation());
        out.put("ticks", result.ticks());
        Json.write(json, out);
        final String base = json.getPath().replaceFirst("\\.json$", "");
        final double restartX = restartAt > 0 ? restartAt : Double.NaN;
        Plots.line(new File(base + "-mrr.png"), "stream kge: rolling validation MRR", "seconds", "filtered MRR",
            "valid MRR (" + evalTriples + " triples)", points(result, KgeStream.Tick::validMrr), restartX,
            "job restarted");
        Plots.line(new File(base + "-throughput.png"), "stream kge: throughput", "seconds", "items/s",
            "trained items/s", points(result, KgeStream.Tick::itemsPerSecond), restartX, "job restarted");
        Plots.line(new File(base + "-local.png"), "stream kge: local share of accesses", "seconds", "local share",
            "local share", points(result, KgeStream.Tick::localShare), restartX, "job restarted");
        Plots.line(new File(base + "-lag.png"), "stream kge: end-to-end lag", "seconds", "ms",
            "mean lag (ms)", points(result, KgeStream.Tick::meanLagMillis), restartX, "job restarted");
        System.out.println("wrote " + json + " and " + base + "-{mrr,throughput,local,lag}.png");
    }

    private static List<double[]> points(final KgeStream.Result result, final ToDoubleFunction<KgeStream.Tick> y)
    {
        final List<double[]> points = new ArrayList<>();
        for (final KgeStream.Tick tick : result.ticks())
        {
            final double value = y.applyAsDouble(tick);
            if (!Double.isNaN(value))
            {
                points.add(new double[] {tick.seconds(), value});
            }
        }
        return points;
    }
}
