package org.intentgrid.samples.kge;

import com.hazelcast.jet.config.ProcessingGuarantee;
import org.intentgrid.GridConfig;
import org.intentgrid.ParameterGrid;
import org.intentgrid.samples.Json;
import org.intentgrid.samples.train.AppRecipe;
import org.intentgrid.samples.train.MemberJvms;
import org.intentgrid.samples.train.Plots;
import org.intentgrid.samples.train.StreamRun;
import org.intentgrid.samples.train.Trainer;
import org.intentgrid.samples.train.TrainingResult;
import org.intentgrid.spi.Mode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bin/intentgrid bench stream}: the streaming kge job's training capacity (a journal filled before the job
 * starts, timed until every item is trained) and its end-to-end lag at a steady rate below that capacity (production
 * to training, p50 and p99) for look-ahead 0, 100 and 1000 in modes static and adaptive on two members (embedded, or
 * with {@code --fork} every member but the driver's in its own JVM), against the batch {@code kge} app's triples per
 * second on the same graph and members.
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
    description = "Streaming kge (Jet): items/s and end-to-end lag for look-ahead 0/100/1000, static vs adaptive, " +
        "2 members; ratio to the batch kge app.")
public final class StreamBench implements Callable<Integer>
{

    @Option(names = "--items", defaultValue = "72000",
        description = "items per configuration (default ${DEFAULT-VALUE}: two passes over the generated graph)")
    long items;

    @Option(names = "--lookaheads", split = ",", defaultValue = "0,100,1000",
        description = "look-aheads to measure (default ${DEFAULT-VALUE})")
    List<Integer> lookaheads;

    @Option(names = "--modes", split = ",", defaultValue = "static,adaptive",
        description = "modes to measure (default ${DEFAULT-VALUE})")
    List<String> modes;

    @Option(names = "--latency-rate", defaultValue = "1000",
        description = "triples per second of the latency phase (default ${DEFAULT-VALUE}; 0 skips it)")
    int latencyRate;

    @Option(names = "--latency-seconds", defaultValue = "10",
        description = "seconds of the latency phase (default ${DEFAULT-VALUE})")
    double latencySeconds;

    @Option(names = "--members", defaultValue = "2", description = "members (default ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--fork", description = "run each member but the driver's in its own JVM on 127.0.0.1, for the " +
        "stream and the batch app alike; lags are then those of the items the driver's member trained")
    boolean fork;

    @Option(names = "--json", defaultValue = "target/bench-stream.json", description = "result file (PNG next to it)")
    File json;

    @Override
    public Integer call() throws InterruptedException
    {
        if (items < 1000 || members < 1 || latencyRate < 0 || latencySeconds <= 0)
        {
            throw new IllegalArgumentException("expected --items >= 1000, --members >= 1, --latency-rate >= 0 and " +
                "--latency-seconds > 0");
        }
        final GraphOptions graphOptions = new GraphOptions();
        new CommandLine(graphOptions).parseArgs();
        final GraphOptions.Graph graph = graphOptions.graph(null, 1);
        System.out.println("bench stream: " + graph.description() + "; " + members + (fork ? " forked" : "") +
            " members, " + items + " items per configuration");
        final double batch = batchTriplesPerSecond();
        System.out.printf("batch kge app, %d x 1 adaptive%s: %,.0f triples/s%n", members, fork ? " (forked)" : "",
            batch);
        measure(graph, Mode.ADAPTIVE, 1000, Math.min(items, 20_000));
        final List<Map<String, Object>> rows = new ArrayList<>();
        final Map<String, Map<String, Double>> chart = new LinkedHashMap<>();
        System.out.printf("%-9s %9s %12s %10s %9s %8s %12s %12s%n", "mode", "lookahead", "items/s", "seconds",
            "local", "÷ batch", "lag p50 ms", "lag p99 ms");
        for (final String modeName : modes)
        {
            final Mode mode = Mode.parse(modeName);
            for (final int lookahead : lookaheads)
            {
                final KgeStream.Capacity capacity = measure(graph, mode, lookahead, items);
                final KgeStream.Latency latency = latencyRate == 0 ? null : latency(graph, mode, lookahead);
                System.out.printf("%-9s %9d %,12.0f %10.2f %8.1f%% %8.2f %12s %12s%n", mode.label(), lookahead,
                    capacity.itemsPerSecond(), capacity.seconds(), 100 * capacity.localShare(),
                    capacity.itemsPerSecond() / batch, latency == null ? "-" : String.format("%,d",
                    latency.p50Millis()), latency == null ? "-" : String.format("%,d", latency.p99Millis()));
                final Map<String, Object> row = new LinkedHashMap<>();
                row.put("mode", mode.label());
                row.put("lookahead", lookahead);
                row.put("items", capacity.items());
                row.put("seconds", capacity.seconds());
                row.put("items_per_second", capacity.itemsPerSecond());
                row.put("local_share", capacity.localShare());
                row.put("ratio_to_batch", capacity.itemsPerSecond() / batch);
                if (latency != null)
                {
                    row.put("latency_rate", latencyRate);
                    row.put("latency_items", latency.items());
                    row.put("lag_p50_ms", latency.p50Millis());
                    row.put("lag_p99_ms", latency.p99Millis());
                    row.put("lag_max_ms", latency.maxMillis());
                }
                rows.add(row);
                chart.computeIfAbsent("look-ahead " + lookahead, k -> new LinkedHashMap<>())
                    .put(mode.label(), capacity.itemsPerSecond());
            }
        }
        chart.put("batch kge app", Map.of(Mode.ADAPTIVE.label(), batch));
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", graph.description());
        out.put("members", members);
        out.put("fork", fork);
        out.put("batch_triples_per_second", batch);
        out.put("stream", rows);
        Json.write(json, out);
        final File png = new File(json.getPath().replaceFirst("\\.json$", "") + ".png");
        Plots.bars(png, "Streaming kge: items/s by look-ahead (higher is better)", "look-ahead", "items/s", chart);
        System.out.println("\nwritten: " + json + ", " + png);
        return 0;
    }

    private KgeStream.Capacity measure(final GraphOptions.Graph graph, final Mode mode, final int lookahead,
        final long count) throws InterruptedException
    {
        return onGrid(mode, grid -> stream(grid, graph, lookahead).capacity(count));
    }

    private KgeStream.Latency latency(final GraphOptions.Graph graph, final Mode mode, final int lookahead)
        throws InterruptedException
    {
        return onGrid(mode, grid -> stream(grid, graph, lookahead).latency(latencyRate, latencySeconds));
    }

    private <R> R onGrid(final Mode mode, final MemberJvms.GridTask<R> task) throws InterruptedException
    {
        return MemberJvms.onGrid(GridConfig.embedded().members(fork ? 1 : members).mode(mode).jet(1), members, fork,
            mode.label(), 1, task);
    }

    private static KgeStream stream(final ParameterGrid grid, final GraphOptions.Graph graph, final int lookahead)
    {
        final KgeStream.Settings settings = new KgeStream.Settings(KgeModel.COMPLEX, 100, 6, 0.1, 1e-4, lookahead, 1,
            1, new StreamRun.Schedule(0, 0, 1, 0, 5_000, ProcessingGuarantee.AT_LEAST_ONCE), 1, null);
        final KgeStream stream = new KgeStream(grid, graph.train(), graph.valid(), graph.test(), graph.entities(),
            graph.relations(), settings);
        stream.prepare();
        return stream;
    }

    /** @return the batch kge app's triples per second at {@code members x 1} adaptive (median of epochs 2 and 3) */
    private double batchTriplesPerSecond()
    {
        final KgeCommand command = new KgeCommand();
        final List<String> args = new ArrayList<>(List.of("--members", String.valueOf(members), "--epochs", "3",
            "--quiet", "--json", json.getPath().replaceFirst("\\.json$", "") + "-batch.json"));
        if (fork)
        {
            args.add("--fork");
        }
        new CommandLine(command).parseArgs(args.toArray(new String[0]));
        final KgeApp app = command.app();
        final TrainingResult result = new Trainer(app, command.options(), AppRecipe.of(command, args)).run();
        final double[] seconds = result.epochs().stream().skip(1)
            .mapToDouble(row -> ((Number)row.get("seconds")).doubleValue()).sorted().toArray();
        return app.examplesPerEpoch() / ((seconds[0] + seconds[seconds.length - 1]) / 2);
    }
}
