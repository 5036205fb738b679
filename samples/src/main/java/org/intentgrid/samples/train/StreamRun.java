package org.intentgrid.samples.train;

import com.hazelcast.collection.IList;
import com.hazelcast.config.EventJournalConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.pipeline.JournalInitialPosition;
import com.hazelcast.jet.pipeline.Sources;
import com.hazelcast.jet.pipeline.StreamSource;
import com.hazelcast.map.IMap;
import org.intentgrid.jet.RejectedItem;
import org.intentgrid.jet.TrainingReport;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * An online training run of the stream samples ({@code bin/intentgrid stream kge|mf}): a generator writes the
 * training examples, pass after pass in shuffled order and at a set rate, into an IMap with an event journal; a Jet
 * job reads the journal and trains them with a {@code TrainingStage} on every member and writes its reports into an
 * IList, which the driver sums into a live line per second with a rolling quality measure.
 * <p>
 * Examples travel as {@code long[]} map values (Hazelcast's own array serializer, several times cheaper than Java
 * serialization of a record); the map keeps the latest ones only, the journal every update for the job to read.
 */
public final class StreamRun
{
    private static final int MAP_KEYS = 100_000;
    private static final int JOURNAL_CAPACITY = 2_000_000;
    private static final int PRODUCER_BATCH = 250;
    private static final long DRAIN_SECONDS = 30;

    /** The map the generator writes and the list the job's reports go to. */
    private final String map;
    private final String events;

    /**
     * How a run is timed.
     *
     * @param rate             examples produced per second
     * @param seconds          how long the stream runs
     * @param evalEverySeconds seconds between rolling quality measures
     * @param restartAtSeconds restart the job ({@code Job.restart}) after this many seconds; 0: never
     * @param snapshotMillis   milliseconds between the job's snapshots
     * @param guarantee        the job's processing guarantee
     */
    public record Schedule(int rate, double seconds, double evalEverySeconds, double restartAtSeconds,
                           long snapshotMillis, ProcessingGuarantee guarantee)
    {
    }

    /** One second of the run, over every member; {@code quality} is NaN where none was measured. */
    public record Tick(double seconds, long produced, long trained, double itemsPerSecond, double meanLoss,
                       double localShare, double meanLagMillis, long maxLagMillis, double quality, boolean restarted)
    {
    }

    /** The whole run, up to the end of the drain after the stream stopped. */
    public record Outcome(List<Tick> ticks, long produced, long trained, long rejected, double itemsPerSecond,
                          double localShare, double meanLagMillis, long maxLagMillis)
    {
    }

    /** Encodes training example {@code example} (an index into the training set) as produced at {@code nowMillis}. */
    @FunctionalInterface
    public interface Encoder
    {
        long[] encode(int example, long nowMillis);
    }

    /** @param name the run's name: its map is {@code name}, its report list {@code name-events} */
    public StreamRun(final String name)
    {
        this.map = name;
        this.events = name + "-events";
    }

    /** Gives the run's map an event journal; call before the job starts (before any example is written). */
    public void enableJournal(final HazelcastInstance hz)
    {
        hz.getConfig().addMapConfig(new MapConfig(map)
            .setEventJournalConfig(new EventJournalConfig().setEnabled(true).setCapacity(JOURNAL_CAPACITY)));
    }

    /** @return the job's source: every example written to the run's map, oldest first */
    public StreamSource<Map.Entry<Long, long[]>> source()
    {
        return Sources.mapJournal(map, JournalInitialPosition.START_FROM_OLDEST);
    }

    /** @return the name of the IList the job writes its stage's events (reports, rejected items) to */
    public String events()
    {
        return events;
    }

    /**
     * Starts {@code job}'s stream: produces at the schedule's rate while printing a line per second (with
     * {@code quality}, labelled {@code qualityLabel}, every {@code evalEverySeconds}), then lets the job train what was
     * produced (at most 30 s) and cancels it.
     *
     * @param examples how many training examples there are; {@code encoder} turns an index into one
     */
    public Outcome run(final HazelcastInstance hz, final Job job, final Schedule schedule, final int examples,
        final long seed, final Encoder encoder, final DoubleSupplier quality, final String qualityLabel,
        final PrintStream out) throws InterruptedException
    {
        final AtomicLong produced = new AtomicLong();
        final Thread producer = new Thread(() -> produce(hz, produced, schedule.rate(), Long.MAX_VALUE, examples,
            seed, encoder), map + "-producer");
        producer.setDaemon(true);
        final IList<Object> reports = hz.getList(events);
        final List<Tick> ticks = new ArrayList<>();
        final Totals totals = new Totals();
        final long start = System.nanoTime();
        producer.start();
        boolean restarted = false;
        double nextEval = schedule.evalEverySeconds();
        try
        {
            for (int second = 1; second <= Math.ceil(schedule.seconds()); second++)
            {
                sleepUntil(start + TimeUnit.SECONDS.toNanos(second));
                final boolean restartNow = !restarted && schedule.restartAtSeconds() > 0 &&
                    second >= schedule.restartAtSeconds();
                if (restartNow)
                {
                    job.restart();
                    restarted = true;
                }
                double measured = Double.NaN;
                if (second >= nextEval)
                {
                    measured = quality.getAsDouble();
                    nextEval += schedule.evalEverySeconds();
                }
                final Tick tick = totals.tick(second, produced.get(), reports, measured, restartNow);
                ticks.add(tick);
                out.println(line(tick, qualityLabel));
            }
        }
        finally
        {
            producer.interrupt();
            producer.join();
        }
        totals.awaitTrained(produced.get(), reports, TimeUnit.SECONDS.toNanos(DRAIN_SECONDS), 200);
        job.cancel();
        final double elapsed = (System.nanoTime() - start) / 1e9;
        return new Outcome(ticks, produced.get(), totals.trained, totals.rejected, totals.trained / elapsed,
            totals.localShare(), totals.lagged == 0 ? Double.NaN : totals.lagSum / totals.lagged, totals.maxLag);
    }

    /** @return JobConfig of a run named {@code name} on {@code schedule} */
    public static JobConfig jobConfig(final String name, final Schedule schedule)
    {
        return new JobConfig().setName(name).setProcessingGuarantee(schedule.guarantee())
            .setSnapshotIntervalMillis(schedule.snapshotMillis());
    }

    /**
     * Writes shuffled passes over {@code examples} training examples into the run's map, {@code rate} per second (0:
     * as fast as it can), until {@code limit} were written or the thread is interrupted.
     */
    public void produce(final HazelcastInstance hz, final AtomicLong produced, final int rate, final long limit,
        final int examples, final long seed, final Encoder encoder)
    {
        final IMap<Long, long[]> target = hz.getMap(map);
        final SplittableRandom random = new SplittableRandom(seed);
        final long start = System.nanoTime();
        int[] order = permutation(examples, random);
        int next = 0;
        final Map<Long, long[]> batch = new HashMap<>();
        try
        {
            while (!Thread.currentThread().isInterrupted() && produced.get() < limit)
            {
                final long sequence = produced.get();
                if (rate > 0)
                {
                    sleepUntil(start + (long)(sequence * 1e9 / rate));
                }
                final long now = System.currentTimeMillis();
                final int count = (int)Math.min(PRODUCER_BATCH, limit - sequence);
                batch.clear();
                for (int i = 0; i < count; i++)
                {
                    if (next == order.length)
                    {
                        order = permutation(examples, random);
                        next = 0;
                    }
                    batch.put((sequence + i) % MAP_KEYS, encoder.encode(order[next++], now));
                }
                target.putAllAsync(batch).toCompletableFuture().join();
                produced.addAndGet(count);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the live line of {@code tick} */
    public static String line(final Tick tick, final String qualityLabel)
    {
        return String.format("%5.0f s  produced %,10d  trained %,10d  %,8.0f items/s  loss %6.3f  local %5.1f%%  " +
            "lag %,6.0f ms (max %,6d)%s%s", tick.seconds(), tick.produced(), tick.trained(), tick.itemsPerSecond(),
            tick.meanLoss(), 100 * tick.localShare(), tick.meanLagMillis(), tick.maxLagMillis(),
            Double.isNaN(tick.quality()) ? "" : String.format("  %s %.3f", qualityLabel, tick.quality()),
            tick.restarted() ? "  [job restarted]" : "");
    }

    /** @return the numbers {@code 0 .. n-1} in an order drawn from {@code random} */
    public static int[] permutation(final int n, final SplittableRandom random)
    {
        final int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        Shuffle.ints(order, random);
        return order;
    }

    private static void sleepUntil(final long nanoTime) throws InterruptedException
    {
        final long wait = nanoTime - System.nanoTime();
        if (wait > 0)
        {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Sums the processors' reports as they arrive. */
    public static final class Totals
    {
        private int read;
        private long trained;
        private long rejected;
        private double localWeight;
        private double localWeighted;
        private double lagSum;
        private long lagged;
        private long maxLag;
        private long lastTrained;
        private double tickLoss;
        private long tickItems;
        private double tickLocal;
        private double tickWeight;
        private double tickLag;
        private long tickLagged;
        private long tickMaxLag;

        /** Reads the events added to {@code events} since the last call. */
        public void collect(final IList<Object> events)
        {
            final int size = events.size();
            if (size == read)
            {
                return;
            }
            for (final Object event : events.subList(read, size))
            {
                if (event instanceof TrainingReport report)
                {
                    add(report);
                }
                else if (event instanceof RejectedItem)
                {
                    rejected++;
                }
            }
            read = size;
        }

        /**
         * Collects every {@code pollMillis} until {@code items} were trained or {@code timeoutNanos} passed.
         *
         * @throws InterruptedException if interrupted while waiting
         */
        public void awaitTrained(final long items, final IList<Object> events, final long timeoutNanos,
            final long pollMillis) throws InterruptedException
        {
            final long deadline = System.nanoTime() + timeoutNanos;
            collect(events);
            while (trained < items && System.nanoTime() < deadline)
            {
                Thread.sleep(pollMillis);
                collect(events);
            }
        }

        /** @return items trained so far */
        public long trained()
        {
            return trained;
        }

        /** @return the share of accesses served locally, weighted by items; NaN before any */
        public double localShare()
        {
            return localWeight == 0 ? Double.NaN : localWeighted / localWeight;
        }

        private void add(final TrainingReport report)
        {
            trained += report.items();
            if (report.items() == 0)
            {
                return;
            }
            tickItems += report.items();
            tickLoss += report.meanLoss() * report.items();
            if (!Double.isNaN(report.localShare()))
            {
                tickLocal += report.localShare() * report.items();
                tickWeight += report.items();
                localWeighted += report.localShare() * report.items();
                localWeight += report.items();
            }
            if (!Double.isNaN(report.meanLagMillis()))
            {
                tickLag += report.meanLagMillis() * report.items();
                tickLagged += report.items();
                lagSum += report.meanLagMillis() * report.items();
                lagged += report.items();
            }
            tickMaxLag = Math.max(tickMaxLag, report.maxLagMillis());
            maxLag = Math.max(maxLag, report.maxLagMillis());
        }

        Tick tick(final double seconds, final long produced, final IList<Object> events, final double quality,
            final boolean restarted)
        {
            collect(events);
            final Tick tick = new Tick(seconds, produced, trained, trained - lastTrained,
                tickItems == 0 ? Double.NaN : tickLoss / tickItems, tickWeight == 0 ? Double.NaN :
                tickLocal / tickWeight, tickLagged == 0 ? Double.NaN : tickLag / tickLagged, tickMaxLag, quality,
                restarted);
            lastTrained = trained;
            tickItems = 0;
            tickLoss = 0;
            tickLocal = 0;
            tickWeight = 0;
            tickLag = 0;
            tickLagged = 0;
            tickMaxLag = 0;
            return tick;
        }
    }
}
