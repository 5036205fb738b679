package org.intentgrid.samples.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.intentgrid.GridConfig;
import org.intentgrid.GridMember;
import org.intentgrid.GridStats;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.spi.Mode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;

/**
 * Runs a {@link TrainingApp} on an embedded grid: {@code --members} members with {@code --threads} workers each,
 * epoch by epoch (training timed alone, then a sync and the evaluation), while a sampler records the share of
 * local accesses over time. Produces the {@link TrainingResult}.
 */
public final class Trainer
{
    private static final long LOCALITY_SAMPLE_MILLIS = 250;

    private final TrainingApp app;
    private final TrainOptions options;

    public Trainer(final TrainingApp app, final TrainOptions options)
    {
        this.app = app;
        this.options = options;
    }

    /** Trains for {@code --epochs} epochs and returns the results (written by the caller). */
    public TrainingResult run()
    {
        options.validate();
        final Mode mode = options.parsedMode();
        final int workerCount = options.members * options.threads;
        say("Starting %d embedded member%s (mode %s), %d worker thread%s each ...%n", options.members,
            options.members == 1 ? "" : "s", mode.label(), options.threads, options.threads == 1 ? "" : "s");
        final TrainingResult result = new TrainingResult(app, mode.label(), options.members, options.threads);
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(options.members).mode(mode)))
        {
            app.setUp(grid, workerCount);
            grid.waitSync();
            final Map<String, Object> initial = app.evaluate(grid);
            say("Before training: %s = %.4f%n", app.qualityMetric(), ((Number)initial.get(app.qualityMetric())).doubleValue());
            result.initialQuality(((Number)initial.get(app.qualityMetric())).doubleValue());
            final List<ParameterWorker> workers = new ArrayList<>();
            for (int m = 0; m < options.members; m++)
            {
                for (int t = 0; t < options.threads; t++)
                {
                    workers.add(grid.member(m).worker());
                }
            }
            try
            {
                double trainingSeconds = 0;
                for (int epoch = 1; epoch <= options.epochs; epoch++)
                {
                    final GridStats before = grid.stats();
                    final long syncBytesBefore = syncBytes(grid);
                    final double[] secondsAndLoss = trainEpoch(grid, workers, epoch, result, trainingSeconds);
                    final double seconds = secondsAndLoss[0];
                    final double loss = secondsAndLoss[1];
                    trainingSeconds += seconds;
                    final GridStats after = grid.stats();
                    grid.waitSync();
                    final Map<String, Object> row = new LinkedHashMap<>();
                    row.put("epoch", epoch);
                    row.put("seconds", seconds);
                    row.put("train_loss", loss);
                    final long accessed = after.keysAccessed() - before.keysAccessed();
                    row.put("local_share", accessed == 0 ? 1.0 : (double)(after.keysLocal() - before.keysLocal()) / accessed);
                    row.put("bytes_sent", after.bytesSent() - before.bytesSent() + syncBytes(grid) - syncBytesBefore);
                    row.putAll(app.evaluate(grid));
                    row.put("wall_seconds", trainingSeconds);
                    result.addEpoch(row);
                    say("epoch %2d  %6.2f s  loss %.4f  %s %.4f  local %.1f%%%n", epoch, seconds, loss,
                        app.qualityMetric(), ((Number)row.get(app.qualityMetric())).doubleValue(),
                        100 * (double)row.get("local_share"));
                }
            }
            finally
            {
                workers.forEach(ParameterWorker::close);
            }
        }
        return result;
    }

    /** @return the epoch's training seconds and mean loss */
    private double[] trainEpoch(
        final ParameterGrid grid, final List<ParameterWorker> workers, final int epoch, final TrainingResult result,
        final double trainingSecondsBefore)
    {
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final double[][] losses = new double[workers.size()][];
        final CyclicBarrier barrier = new CyclicBarrier(workers.size());
        final List<Thread> threads = new ArrayList<>();
        try (ProgressBar bar = progressBar(epoch))
        {
            final long start = System.nanoTime();
            final LocalitySampler sampler = new LocalitySampler(grid, result, trainingSecondsBefore, start);
            for (int i = 0; i < workers.size(); i++)
            {
                final int index = i;
                final EpochContext context = new EpochContext(workers.get(i), i, workers.size(), epoch,
                    bar == null ? n -> { } : bar::stepBy, barrier);
                final Thread thread = new Thread(() ->
                {
                    try
                    {
                        losses[index] = app.trainEpoch(context);
                    }
                    catch (final Throwable e)
                    {
                        failures.add(e);
                        barrier.reset();
                    }
                }, app.name() + "-worker-" + i);
                threads.add(thread);
                thread.start();
            }
            for (final Thread thread : threads)
            {
                join(thread);
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            sampler.stop();
            if (!failures.isEmpty())
            {
                final Throwable first = failures.peek();
                throw first instanceof RuntimeException ? (RuntimeException)first :
                    new IllegalStateException("training failed in epoch " + epoch, first);
            }
            double loss = 0;
            double count = 0;
            for (final double[] l : losses)
            {
                loss += l[0];
                count += l[1];
            }
            return new double[] {seconds, count == 0 ? 0 : loss / count};
        }
    }

    private ProgressBar progressBar(final int epoch)
    {
        if (options.quiet)
        {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch, options.epochs))
            .setInitialMax(app.examplesPerEpoch()).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
            .setUnit(" ex", 1).showSpeed().continuousUpdate().build();
    }

    private static long syncBytes(final ParameterGrid grid)
    {
        long bytes = 0;
        for (final GridMember member : grid.members())
        {
            bytes += member.syncStats().bytesSent();
        }
        return bytes;
    }

    private static void join(final Thread thread)
    {
        try
        {
            thread.join();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training", e);
        }
    }

    private void say(final String format, final Object... args)
    {
        if (!options.quiet)
        {
            System.out.printf(format, args);
        }
    }

    /** Records the share of local accesses every {@link #LOCALITY_SAMPLE_MILLIS} while an epoch trains. */
    private static final class LocalitySampler
    {
        private final Thread thread;
        private volatile boolean running = true;

        LocalitySampler(final ParameterGrid grid, final TrainingResult result, final double offset, final long start)
        {
            thread = new Thread(() ->
            {
                GridStats last = grid.stats();
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
                    final GridStats now = grid.stats();
                    final long accessed = now.keysAccessed() - last.keysAccessed();
                    if (accessed > 0)
                    {
                        result.addLocality(offset + (System.nanoTime() - start) / 1e9,
                            (double)(now.keysLocal() - last.keysLocal()) / accessed);
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
            join(thread);
        }
    }
}
