package org.intentgrid.samples.kge;

import com.hazelcast.config.EventJournalConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.collection.IList;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.pipeline.BatchStage;
import com.hazelcast.jet.pipeline.JournalInitialPosition;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.jet.pipeline.Sources;
import com.hazelcast.jet.pipeline.StreamStage;
import com.hazelcast.map.IMap;
import org.intentgrid.KeyDistribution;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Sampling;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.intentgrid.jet.RejectedItem;
import org.intentgrid.jet.StepBatch;
import org.intentgrid.jet.TrainingReport;
import org.intentgrid.jet.TrainingStage;
import org.intentgrid.samples.train.Shuffle;
import org.intentgrid.samples.train.Tables;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Online knowledge graph embeddings: a generator writes training triples into an IMap with an event journal at a
 * set rate, pass after pass in shuffled order; a Jet job reads the journal and trains them with a
 * {@link TrainingStage} on every member; the driver prints a live line per second (throughput, loss, local share,
 * end-to-end lag) and a rolling validation MRR.
 */
final class KgeStream
{
    static final String MAP = "kge-stream";
    private static final String EVENTS = "kge-stream-events";
    /** The map keeps the latest items only; the journal holds every update for the job to read. */
    private static final int MAP_KEYS = 100_000;
    private static final int JOURNAL_CAPACITY = 2_000_000;
    private static final int PRODUCER_BATCH = 250;
    /** End-to-end lags of the items trained by {@link #latency} runs, in milliseconds (this JVM's members). */
    private static final Recorder LAGS = new Recorder(3);

    /** How the stream and its training are set up. */
    record Settings(KgeModel model, int dim, int negRatio, double learningRate, double regularization,
                    int lookahead, int itemsPerStep, int rate, double seconds, double evalEverySeconds,
                    int evalTriples, double restartAtSeconds, long snapshotMillis, long seed,
                    String checkpointDirectory)
    {
        /** @return the job's guarantee: exactly-once with a checkpoint directory, else at-least-once */
        ProcessingGuarantee guarantee()
        {
            return checkpointDirectory == null ? ProcessingGuarantee.AT_LEAST_ONCE : ProcessingGuarantee.EXACTLY_ONCE;
        }
    }

    /** One second of the run, over every member. */
    record Tick(double seconds, long produced, long trained, double itemsPerSecond, double meanLoss,
                double localShare, double meanLagMillis, long maxLagMillis, double validMrr, boolean restarted)
    {
    }

    /** The whole run. */
    record Result(List<Tick> ticks, long produced, long trained, long rejected, double itemsPerSecond,
                  double localShare, double meanLagMillis, long maxLagMillis, Map<String, Double> validation)
    {
    }

    /** Items trained at a steady rate and their end-to-end lags in milliseconds. */
    record Latency(long items, long p50Millis, long p99Millis, long maxMillis)
    {
    }

    /** Items trained from a journal filled before the job started, and how long that took. */
    record Capacity(long items, double seconds, double itemsPerSecond, double localShare)
    {
    }

    private final ParameterGrid grid;
    private final Triples train;
    private final Triples valid;
    private final int entities;
    private final int relations;
    private final Settings settings;
    private final LinkPrediction evaluation;
    private final Triples evalSample;
    private Table entityTable;
    private Table relationTable;

    KgeStream(final ParameterGrid grid, final Triples train, final Triples valid, final Triples test,
        final int entities, final int relations, final Settings settings)
    {
        this.grid = grid;
        this.train = train;
        this.valid = valid;
        this.entities = entities;
        this.relations = relations;
        this.settings = settings;
        this.evaluation = new LinkPrediction(settings.model(), settings.dim(), entities, relations, train, valid,
            test);
        this.evalSample = sample(valid, settings.evalTriples(), settings.seed());
    }

    /** Declares and initializes the tables, enables sampling and the journal of the stream's map. */
    void prepare()
    {
        final int dim = settings.dim();
        entityTable = grid.table(TableSpec.of(KgeApp.ENTITY_TABLE, entities, 2 * dim));
        final int relationLength = settings.model().relationLength(dim);
        relationTable = grid.table(TableSpec.of(KgeApp.RELATION_TABLE, relations, 2 * relationLength));
        grid.enableSampling(entityTable, sampling(entities, settings.seed()));
        try (ParameterWorker w = grid.worker())
        {
            KgeApp.initialize(w, entityTable, entities, dim, settings.seed());
            KgeApp.initialize(w, relationTable, relations, relationLength, settings.seed() + 1);
        }
        grid.member(0).hazelcast().getConfig().addMapConfig(new MapConfig(MAP)
            .setEventJournalConfig(new EventJournalConfig().setEnabled(true).setCapacity(JOURNAL_CAPACITY)));
    }

    private static double recordLags(final StepBatch<StreamTriple> batch, final KgeStreamStep step)
    {
        final long now = System.currentTimeMillis();
        for (int i = 0; i < batch.size(); i++)
        {
            LAGS.recordValue(Math.max(0, now - batch.item(i).eventTime()));
        }
        return step.train(batch);
    }

    /** Negatives of the kge app: uniform over all entities; members of other JVMs enable it from the stage. */
    private static Sampling sampling(final int entities, final long seed)
    {
        return Sampling.of(KeyDistribution.uniform(0, entities)).seed(seed);
    }

    /** The training stage of this run. */
    TrainingStage<StreamTriple> stage()
    {
        return stage(false);
    }

    /**
     * @param recordLags also record each item's end-to-end lag (production to training) in this JVM's
     *                   {@link #LAGS} (embedded members only)
     */
    private TrainingStage<StreamTriple> stage(final boolean recordLags)
    {
        final int entityCount = entities;
        final long seed = settings.seed();
        final KgeStreamStep step = new KgeStreamStep(settings.model(), settings.dim(), settings.negRatio(),
            settings.learningRate(), settings.regularization());
        final TrainingStage.Builder<StreamTriple> builder = TrainingStage.<StreamTriple>builder("kge-training");
        if (settings.checkpointDirectory() != null)
        {
            builder.checkpointDirectory(settings.checkpointDirectory());
        }
        return builder
            .keys(KgeApp.ENTITY_TABLE, t -> new long[] {t.subject(), t.object()})
            .keys(KgeApp.RELATION_TABLE, t -> new long[] {t.relation()})
            .negatives(KgeApp.ENTITY_TABLE, 2 * settings.negRatio(), () -> sampling(entityCount, seed))
            .lookahead(settings.lookahead())
            .itemsPerStep(settings.itemsPerStep())
            .eventTime(StreamTriple::eventTime)
            .reportEveryMillis(250)
            .step(recordLags ? batch -> recordLags(batch, step) : step)
            .build();
    }

    /** Runs the stream for the configured time, then lets the job drain what was produced. */
    Result run(final PrintStream out) throws InterruptedException
    {
        final HazelcastInstance hz = grid.member(0).hazelcast();
        final Job job = hz.getJet().newJob(pipeline(), new JobConfig().setName("kge-stream")
            .setProcessingGuarantee(settings.guarantee())
            .setSnapshotIntervalMillis(settings.snapshotMillis()));
        final AtomicLong produced = new AtomicLong();
        final Thread producer = new Thread(() -> produce(hz.getMap(MAP), produced, settings.rate(), Long.MAX_VALUE),
            "kge-stream-producer");
        producer.setDaemon(true);
        final IList<Object> events = hz.getList(EVENTS);
        final List<Tick> ticks = new ArrayList<>();
        final Totals totals = new Totals();
        final long start = System.nanoTime();
        producer.start();
        boolean restarted = false;
        double nextEval = settings.evalEverySeconds();
        try
        {
            for (int second = 1; second <= Math.ceil(settings.seconds()); second++)
            {
                sleepUntil(start + TimeUnit.SECONDS.toNanos(second));
                final boolean restartNow = !restarted && settings.restartAtSeconds() > 0 &&
                    second >= settings.restartAtSeconds();
                if (restartNow)
                {
                    job.restart();
                    restarted = true;
                }
                double mrr = Double.NaN;
                if (second >= nextEval)
                {
                    mrr = validMrr(evalSample);
                    nextEval += settings.evalEverySeconds();
                }
                final Tick tick = totals.tick(second, produced.get(), events, mrr, restartNow);
                ticks.add(tick);
                out.println(line(tick));
            }
        }
        finally
        {
            producer.interrupt();
            producer.join();
        }
        final long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (totals.trained < produced.get() && System.nanoTime() < drainUntil)
        {
            Thread.sleep(200);
            totals.collect(events);
        }
        job.cancel();
        final Map<String, Double> validation = evaluation.evaluate(valid, Tables.leading(grid, entityTable, entities,
            settings.dim()), relationVectors());
        final double elapsed = (System.nanoTime() - start) / 1e9;
        return new Result(ticks, produced.get(), totals.trained, totals.rejected, totals.trained / elapsed,
            totals.localWeight == 0 ? Double.NaN : totals.localWeighted / totals.localWeight,
            totals.lagged == 0 ? Double.NaN : totals.lagSum / totals.lagged, totals.maxLag, validation);
    }

    /**
     * The training capacity: writes {@code items} triples into the journal first, then starts the job and times
     * it until it trained them all.
     */
    Capacity capacity(final long items) throws InterruptedException
    {
        final HazelcastInstance hz = grid.member(0).hazelcast();
        final AtomicLong produced = new AtomicLong();
        produce(hz.getMap(MAP), produced, 0, items);
        final Job job = hz.getJet().newJob(pipeline());
        final IList<Object> events = hz.getList(EVENTS);
        final Totals totals = new Totals();
        final long start = System.nanoTime();
        final long deadline = start + TimeUnit.MINUTES.toNanos(10);
        while (totals.trained < produced.get() && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
            totals.collect(events);
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        job.cancel();
        return new Capacity(totals.trained, seconds, totals.trained / seconds,
            totals.localWeight == 0 ? Double.NaN : totals.localWeighted / totals.localWeight);
    }

    /**
     * The end-to-end lag at a steady rate: the generator writes {@code rate} triples per second for {@code seconds}
     * while the job trains them; every item's time from production to its training step is recorded.
     */
    Latency latency(final int rate, final double seconds) throws InterruptedException
    {
        final HazelcastInstance hz = grid.member(0).hazelcast();
        final Job job = hz.getJet().newJob(pipeline(true));
        LAGS.reset();
        final AtomicLong produced = new AtomicLong();
        final long items = (long)(rate * seconds);
        final Thread producer = new Thread(() -> produce(hz.getMap(MAP), produced, rate, items),
            "kge-stream-producer");
        producer.setDaemon(true);
        producer.start();
        producer.join();
        final IList<Object> events = hz.getList(EVENTS);
        final Totals totals = new Totals();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (totals.trained < produced.get() && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
            totals.collect(events);
        }
        job.cancel();
        final Histogram lags = LAGS.getIntervalHistogram();
        return new Latency(lags.getTotalCount(), lags.getValueAtPercentile(50), lags.getValueAtPercentile(99),
            lags.getMaxValue());
    }

    /**
     * Trains {@code passes} passes over a {@code .del} file, one batch job per pass reading it with Jet's file
     * source (the file is read by one member and rebalanced over all).
     *
     * @return the filtered validation metrics after each pass
     */
    List<Map<String, Double>> trainPasses(final Path file, final int passes)
    {
        final HazelcastInstance hz = grid.member(0).hazelcast();
        final List<Map<String, Double>> validations = new ArrayList<>();
        for (int pass = 0; pass < passes; pass++)
        {
            final Pipeline pipeline = Pipeline.create();
            final BatchStage<StreamTriple> triples = pipeline
                .readFrom(Sources.filesBuilder(file.toAbsolutePath().getParent().toString())
                    .glob(file.getFileName().toString()).sharedFileSystem(true)
                    .build((fileName, line) -> StreamTriple.parse(line)))
                .rebalance();
            stage().applyTo(triples).writeTo(Sinks.noop());
            hz.getJet().newJob(pipeline, new JobConfig().setName("kge-pass-" + pass)).join();
            validations.add(evaluation.evaluate(valid, Tables.leading(grid, entityTable, entities, settings.dim()),
                relationVectors()));
        }
        return validations;
    }

    private Pipeline pipeline()
    {
        return pipeline(false);
    }

    private Pipeline pipeline(final boolean recordLags)
    {
        final Pipeline pipeline = Pipeline.create();
        final StreamStage<StreamTriple> triples = pipeline
            .readFrom(Sources.<Long, long[]>mapJournal(MAP, JournalInitialPosition.START_FROM_OLDEST))
            .withoutTimestamps()
            .map(entry -> StreamTriple.of(entry.getValue()));
        stage(recordLags).applyTo(triples).writeTo(Sinks.list(EVENTS));
        return pipeline;
    }

    /**
     * Writes shuffled passes over the training triples, {@code rate} per second (0: as fast as it can), until
     * {@code limit} were written or the thread is interrupted.
     */
    private void produce(final IMap<Long, long[]> map, final AtomicLong produced, final int rate,
        final long limit)
    {
        final SplittableRandom random = new SplittableRandom(settings.seed());
        final long start = System.nanoTime();
        int[] order = permutation(train.size(), random);
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
                        order = permutation(train.size(), random);
                        next = 0;
                    }
                    final int t = order[next++];
                    batch.put((sequence + i) % MAP_KEYS, StreamTriple.encode(train.subjects[t], train.relations[t],
                        train.objects[t], now));
                }
                map.putAllAsync(batch).toCompletableFuture().join();
                produced.addAndGet(count);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private float[] relationVectors()
    {
        return Tables.leading(grid, relationTable, relations, settings.model().relationLength(settings.dim()));
    }

    private double validMrr(final Triples triples)
    {
        final float[] entityVectors = Tables.leading(grid, entityTable, entities, settings.dim());
        final float[] relationVectors = relationVectors();
        return evaluation.evaluate(triples, entityVectors, relationVectors).get("mrr_filtered");
    }

    static String line(final Tick tick)
    {
        return String.format("%5.0f s  produced %,10d  trained %,10d  %,8.0f items/s  loss %6.3f  local %5.1f%%  " +
            "lag %,6.0f ms (max %,6d)%s%s", tick.seconds(), tick.produced(), tick.trained(), tick.itemsPerSecond(),
            tick.meanLoss(), 100 * tick.localShare(), tick.meanLagMillis(), tick.maxLagMillis(),
            Double.isNaN(tick.validMrr()) ? "" : String.format("  valid MRR %.3f", tick.validMrr()),
            tick.restarted() ? "  [job restarted]" : "");
    }

    private static Triples sample(final Triples triples, final int count, final long seed)
    {
        final int n = Math.min(count, triples.size());
        final int[] order = permutation(triples.size(), new SplittableRandom(seed ^ 0x5eed));
        final int[] s = new int[n];
        final int[] r = new int[n];
        final int[] o = new int[n];
        for (int i = 0; i < n; i++)
        {
            s[i] = triples.subjects[order[i]];
            r[i] = triples.relations[order[i]];
            o[i] = triples.objects[order[i]];
        }
        return new Triples(s, r, o);
    }

    private static int[] permutation(final int n, final SplittableRandom random)
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
    private static final class Totals
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

        void collect(final IList<Object> events)
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

        Tick tick(final double seconds, final long produced, final IList<Object> events, final double mrr,
            final boolean restarted)
        {
            collect(events);
            final Tick tick = new Tick(seconds, produced, trained, trained - lastTrained,
                tickItems == 0 ? Double.NaN : tickLoss / tickItems, tickWeight == 0 ? Double.NaN :
                tickLocal / tickWeight, tickLagged == 0 ? Double.NaN : tickLag / tickLagged, tickMaxLag, mrr,
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
