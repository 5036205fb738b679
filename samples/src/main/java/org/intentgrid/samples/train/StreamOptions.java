package org.intentgrid.samples.train;

import com.hazelcast.jet.config.ProcessingGuarantee;
import org.intentgrid.GridConfig;
import org.intentgrid.samples.Json;
import org.intentgrid.spi.Mode;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The options every {@code bin/intentgrid stream} app shares (members, stream rate and length, look-ahead, job
 * guarantee), the grid they start, and the JSON fields and plots every such run writes.
 */
public final class StreamOptions
{
    @Option(names = "--members", defaultValue = "2", description = "embedded members (default ${DEFAULT-VALUE})")
    public int members;

    @Option(names = "--fork", description = "run each member but this one in its own JVM on 127.0.0.1")
    public boolean fork;

    @Option(names = "--mode", defaultValue = "adaptive",
        description = "adaptive, replication-only, relocation-only or static (default ${DEFAULT-VALUE})")
    public String mode;

    @Option(names = "--seconds", defaultValue = "30",
        description = "how long the stream runs (default ${DEFAULT-VALUE})")
    public double seconds;

    @Option(names = "--rate", description = "training examples per second produced (default: the app's; kge " +
        "5000, mf 20000)")
    Integer rate;

    @Option(names = "--lookahead", defaultValue = "1000",
        description = "items ahead of training that get intents; 0 for none (default ${DEFAULT-VALUE})")
    public int lookahead;

    @Option(names = "--items-per-step", defaultValue = "1", description = "items per step (default ${DEFAULT-VALUE})")
    public int itemsPerStep;

    @Option(names = "--eval-every", defaultValue = "5",
        description = "seconds between rolling evaluations (default ${DEFAULT-VALUE})")
    public double evalEvery;

    @Option(names = "--restart-at", defaultValue = "0",
        description = "restart the job (Job.restart) after this many seconds to show recovery; 0: never")
    public double restartAt;

    @Option(names = "--snapshot-every", defaultValue = "5",
        description = "seconds between the job's snapshots (default ${DEFAULT-VALUE})")
    public double snapshotEvery;

    @Option(names = "--exactly-once", description = "exactly-once training: the job's guarantee EXACTLY_ONCE and a " +
        "grid checkpoint after every snapshot, in a directory next to --json (default: at-least-once)")
    public boolean exactlyOnce;

    @Option(names = "--jet-threads", defaultValue = "1",
        description = "cooperative Jet threads per member (default ${DEFAULT-VALUE})")
    public int jetThreads;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})")
    public long seed;

    private final int defaultRate;

    /** @param defaultRate the app's examples per second when {@code --rate} is not given */
    public StreamOptions(final int defaultRate)
    {
        this.defaultRate = defaultRate;
    }

    /** @return training examples per second produced */
    public int rate()
    {
        return rate != null ? rate : defaultRate;
    }

    /**
     * @return the parsed mode
     * @throws IllegalArgumentException naming what is wrong, for any option out of its range
     */
    public Mode validated()
    {
        require(members >= 1, "--members", members, ">= 1");
        require(seconds > 0, "--seconds", seconds, "> 0");
        require(rate() >= 1, "--rate", rate(), ">= 1");
        require(lookahead >= 0, "--lookahead", lookahead, ">= 0");
        require(itemsPerStep >= 1, "--items-per-step", itemsPerStep, ">= 1");
        require(evalEvery > 0, "--eval-every", evalEvery, "> 0");
        require(restartAt >= 0, "--restart-at", restartAt, ">= 0");
        require(snapshotEvery > 0, "--snapshot-every", snapshotEvery, "> 0");
        require(jetThreads >= 1, "--jet-threads", jetThreads, ">= 1");
        return Mode.parse(mode);
    }

    /**
     * @throws IllegalArgumentException naming {@code option}, its {@code value} and what is {@code expected}, unless
     *                                  {@code valid}
     */
    public static void require(final boolean valid, final String option, final Object value, final String expected)
    {
        if (!valid)
        {
            throw new IllegalArgumentException(option + " " + value + " is out of range; expected " + expected);
        }
    }

    /** @return how the stream is timed */
    public StreamRun.Schedule schedule()
    {
        return new StreamRun.Schedule(rate(), seconds, evalEvery, restartAt, (long)(snapshotEvery * 1000),
            exactlyOnce ? ProcessingGuarantee.EXACTLY_ONCE : ProcessingGuarantee.AT_LEAST_ONCE);
    }

    /** Runs {@code task} on the run's grid: embedded members, or with {@code --fork} member JVMs joined first. */
    public <R> R onGrid(final MemberJvms.GridTask<R> task) throws InterruptedException
    {
        final Mode parsed = validated();
        return MemberJvms.onGrid(GridConfig.embedded().members(fork ? 1 : members).mode(parsed).jet(jetThreads),
            members, fork, mode, jetThreads, task);
    }

    /** @return the members' sentence of the run's first line, such as "2 embedded members (adaptive)" */
    public String describe()
    {
        return String.format("%d %s members (%s), look-ahead %d, %,d items/s for %.0f s, %s", members,
            fork ? "forked" : "embedded", validated().label(), lookahead, rate(), seconds,
            exactlyOnce ? "exactly-once" : "at-least-once");
    }

    /**
     * @return where an exactly-once run keeps its grid checkpoints, {@code <app>-checkpoints} next to {@code json},
     *         emptied first; null for at-least-once
     */
    public String checkpointDirectory(final File json, final String app)
    {
        if (!exactlyOnce)
        {
            return null;
        }
        final File directory = new File(json.getAbsoluteFile().getParentFile(), app + "-checkpoints");
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

    /**
     * Writes the run's JSON ({@code fields} first, then the settings and the outcome) and its PNG plots next to it:
     * {@code -quality.png} ({@code qualityLabel} over time), {@code -throughput.png}, {@code -local.png},
     * {@code -lag.png}.
     */
    public void write(final File json, final String app, final Map<String, Object> fields,
        final StreamRun.Outcome outcome, final String qualityLabel)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("app", app);
        out.putAll(fields);
        out.put("members", members);
        out.put("fork", fork);
        out.put("mode", validated().label());
        out.put("lookahead", lookahead);
        out.put("items_per_step", itemsPerStep);
        out.put("rate", rate());
        out.put("seconds", seconds);
        out.put("restart_at", restartAt);
        out.put("guarantee", exactlyOnce ? "exactly-once" : "at-least-once");
        out.put("produced", outcome.produced());
        out.put("trained", outcome.trained());
        out.put("rejected", outcome.rejected());
        out.put("items_per_second", outcome.itemsPerSecond());
        out.put("local_share", outcome.localShare());
        out.put("lag_mean_ms", outcome.meanLagMillis());
        out.put("lag_max_ms", outcome.maxLagMillis());
        out.put("ticks", outcome.ticks());
        Json.write(json, out);
        final String base = json.getPath().replaceFirst("\\.json$", "");
        final double restartX = restartAt > 0 ? restartAt : Double.NaN;
        final String title = app.replace('-', ' ') + ": ";
        Plots.line(new File(base + "-quality.png"), title + qualityLabel, "seconds", qualityLabel, qualityLabel,
            points(outcome, StreamRun.Tick::quality), restartX, "job restarted");
        Plots.line(new File(base + "-throughput.png"), title + "throughput", "seconds", "items/s",
            "trained items/s", points(outcome, StreamRun.Tick::itemsPerSecond), restartX, "job restarted");
        Plots.line(new File(base + "-local.png"), title + "local share of accesses", "seconds", "local share",
            "local share", points(outcome, StreamRun.Tick::localShare), restartX, "job restarted");
        Plots.line(new File(base + "-lag.png"), title + "end-to-end lag", "seconds", "ms",
            "mean lag (ms)", points(outcome, StreamRun.Tick::meanLagMillis), restartX, "job restarted");
        System.out.println("wrote " + json + " and " + base + "-{quality,throughput,local,lag}.png");
    }

    private static List<double[]> points(final StreamRun.Outcome outcome, final ToDoubleFunction<StreamRun.Tick> y)
    {
        final List<double[]> points = new ArrayList<>();
        for (final StreamRun.Tick tick : outcome.ticks())
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
