package org.intentgrid.samples.train;

import me.tongfei.progressbar.ProgressBar;
import org.intentgrid.ParameterGrid;
import org.intentgrid.samples.ProgressBars;
import org.intentgrid.spi.Mode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a {@link TrainingApp} on {@code --members} members (embedded, or one JVM each with {@code --fork}) with
 * {@code --threads} workers each, epoch by epoch (training timed alone, then a sync and the evaluation), while a
 * sampler records the share of local accesses over time. Produces the {@link TrainingResult}.
 */
public final class Trainer
{
    private static final long LOCALITY_SAMPLE_MILLIS = 250;

    private final TrainingApp app;
    private final TrainOptions options;
    private final AppRecipe recipe;

    /**
     * @param recipe how member JVMs rebuild the app for {@code --fork} (may be null for embedded runs only)
     */
    public Trainer(final TrainingApp app, final TrainOptions options, final AppRecipe recipe)
    {
        if ((options.fork || options.cluster != null) && recipe == null)
        {
            throw new IllegalArgumentException("--fork and --cluster need the app's recipe");
        }
        this.app = app;
        this.options = options;
        this.recipe = recipe;
    }

    /** Trains for {@code --epochs} epochs and returns the results (written by the caller). */
    public TrainingResult run()
    {
        options.validate();
        final Mode mode = options.parsedMode();
        final int workerCount = options.members * options.threads;
        say("Starting %d %s member%s (mode %s), %d worker thread%s each ...%n", options.members,
            options.cluster != null ? "cluster" : options.fork ? "forked" : "embedded", options.members == 1 ? "" : "s",
            mode.label(), options.threads, options.threads == 1 ? "" : "s");
        final TrainingResult result = new TrainingResult(app, mode.label(), options.members, options.threads);
        result.relocationLimit(options.parsedRelocationLimit());
        try (WorkerPool pool = options.fork || options.cluster != null ? new ForkedPool(app, options, recipe) :
            new EmbeddedPool(app, options))
        {
            final ParameterGrid grid = pool.grid();
            app.declare(grid, workerCount, options.tablePrefix());
            app.initialize(grid);
            int firstEpoch = 1;
            if (options.resume)
            {
                firstEpoch = TrainingCheckpoints.restoreLatest(grid, options.checkpointDir.toPath(),
                    options.tablePrefix()) + 1;
                if (firstEpoch > options.epochs)
                {
                    throw new IllegalArgumentException("--resume: the checkpoint in " + options.checkpointDir +
                        " is after epoch " + (firstEpoch - 1) + " already; expected --epochs above it (was " +
                        options.epochs + ")");
                }
                say("Resumed from the checkpoint after epoch %d in %s%n", firstEpoch - 1, options.checkpointDir);
            }
            pool.waitSync();
            result.initialQuality(quality(app.evaluate(grid)));
            say("%s: %s = %.4f%n", firstEpoch == 1 ? "Before training" : "Resumed model", app.qualityMetric(),
                result.initialQuality());
            double trainingSeconds = 0;
            for (int epoch = firstEpoch; epoch <= options.epochs; epoch++)
            {
                final Traffic before = pool.traffic();
                final CpuTime cpuBefore = pool.cpuTime();
                final double[] lossAndCount;
                final ProgressBar bar = progressBar(epoch);
                final long start = System.nanoTime();
                final LocalitySampler sampler = new LocalitySampler(pool, result, trainingSeconds, start, bar);
                try (bar)
                {
                    lossAndCount = pool.trainEpoch(epoch, bar == null ? n -> { } : bar::stepBy);
                    if (bar != null)
                    {
                        bar.stepTo(app.examplesPerEpoch());
                    }
                }
                finally
                {
                    sampler.stop();
                }
                final double seconds = (System.nanoTime() - start) / 1e9;
                final CpuTime cpu = pool.cpuTime().since(cpuBefore);
                trainingSeconds += seconds;
                final Traffic traffic = pool.traffic().minus(before);
                pool.waitSync();
                final double loss = lossAndCount[1] == 0 ? 0 : lossAndCount[0] / lossAndCount[1];
                final Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", epoch);
                row.put("seconds", seconds);
                row.put("train_loss", loss);
                row.put("local_share", traffic.localShare());
                row.put("bytes_sent", traffic.bytesSent());
                if (cpu != null)
                {
                    row.put("worker_cpu_seconds", cpu.workerNanos() / 1e9);
                    row.put("other_cpu_seconds", cpu.otherNanos() / 1e9);
                    row.put("cpu_jvms", cpu.jvms());
                }
                row.putAll(app.evaluate(grid));
                row.put("wall_seconds", trainingSeconds);
                result.addEpoch(row);
                say("epoch %2d  %6.2f s  loss %.4f  %s %.4f  local %.1f%%%n", epoch, seconds, loss,
                    app.qualityMetric(), quality(row), 100 * traffic.localShare());
                afterEpoch(grid, pool, result, epoch, trainingSeconds - seconds);
                if (options.timeBudgetSeconds > 0 && trainingSeconds >= options.timeBudgetSeconds &&
                    epoch < options.epochs)
                {
                    say("time budget of %.0f s reached after epoch %d (%.1f s of training)%n",
                        options.timeBudgetSeconds, epoch, trainingSeconds);
                    break;
                }
            }
            if (options.save != null)
            {
                TrainingCheckpoints.export(grid, options.tablePrefix(), options.save.toPath());
                say("model saved to %s (one .npy file per table)%n", options.save);
            }
        }
        return result;
    }

    /** Reports a member killed during the epoch, and writes a checkpoint if one is due. */
    private void afterEpoch(
        final ParameterGrid grid, final WorkerPool pool, final TrainingResult result, final int epoch,
        final double epochStartSeconds)
    {
        final CrashReport crash = pool.crash();
        if (crash != null && result.crash() == null)
        {
            result.crash(crash, epochStartSeconds + crash.secondsIntoEpoch());
            say("member JVM %d was killed %.2f s into epoch %d: %d main copies recovered in %d ms, %d " +
                "updates re-sent; lost: %s%n", crash.member(), crash.secondsIntoEpoch(), crash.epoch(),
                crash.keysRecovered(), crash.recoveryMillis(), crash.updatesResent(), lossOf(crash));
            if (crash.epochRepeated())
            {
                say("epoch %d was trained again from its start on the survivors: their workers had stopped at a " +
                    "barrier the killed member's workers could no longer reach%n", crash.epoch());
            }
        }
        if (options.checkpointDir != null && epoch % options.checkpointEvery == 0)
        {
            final long checkpointStart = System.nanoTime();
            TrainingCheckpoints.write(grid, options.tablePrefix(), options.checkpointDir.toPath(), epoch);
            say("checkpoint after epoch %d written in %.2f s%n", epoch, (System.nanoTime() - checkpointStart) / 1e9);
        }
    }

    /** @return what the kill cost: all of the member's main copies without backups, else its updates since its last */
    private String lossOf(final CrashReport crash)
    {
        if (options.backups == 0)
        {
            return "every main copy it held (no backups): those keys start again from their initializers";
        }
        if (crash.lossWindowMillis() < 0)
        {
            return "its own workers' updates since its last backup flush";
        }
        return String.format("at most its own workers' updates of the last %d ms before the survivors heard of the " +
            "kill (since its last backup flush reached its holder)", crash.lossWindowMillis());
    }

    private double quality(final Map<String, Object> metrics)
    {
        return ((Number)metrics.get(app.qualityMetric())).doubleValue();
    }

    private ProgressBar progressBar(final int epoch)
    {
        if (options.quiet)
        {
            return null;
        }
        return ProgressBars.builder(String.format("epoch %d/%d", epoch, options.epochs), app.examplesPerEpoch())
            .setUpdateIntervalMillis(250).setUnit(" ex", 1).showSpeed().continuousUpdate().build();
    }

    private void say(final String format, final Object... args)
    {
        if (!options.quiet)
        {
            System.out.printf(format, args);
        }
    }

    /**
     * Records the share of local accesses every {@link #LOCALITY_SAMPLE_MILLIS} while an epoch trains, and shows it
     * live next to the epoch's progress bar with the bytes the members sent meanwhile.
     */
    private static final class LocalitySampler
    {
        private final Thread thread;
        private volatile boolean running = true;

        LocalitySampler(
            final WorkerPool pool, final TrainingResult result, final double offset, final long start,
            final ProgressBar bar)
        {
            thread = new Thread(() ->
            {
                Traffic last = pool.traffic();
                while (running)
                {
                    try
                    {
                        Thread.sleep(LOCALITY_SAMPLE_MILLIS);
                    }
                    catch (final InterruptedException e)
                    {
                        return;
                    }
                    final Traffic now;
                    try
                    {
                        now = pool.traffic();
                    }
                    catch (final RuntimeException e)
                    {
                        return;
                    }
                    final Traffic interval = now.minus(last);
                    if (interval.accessed() > 0)
                    {
                        result.addLocality(offset + (System.nanoTime() - start) / 1e9, interval.localShare());
                        if (bar != null)
                        {
                            bar.setExtraMessage(String.format(" local %.1f%% %.1fMB/s",
                                100 * interval.localShare(), interval.bytesSent() / 1e3 / LOCALITY_SAMPLE_MILLIS));
                        }
                    }
                    last = now;
                }
            }, "locality-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop()
        {
            running = false;
            thread.interrupt();
            try
            {
                thread.join();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
