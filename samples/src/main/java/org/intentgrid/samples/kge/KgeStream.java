package org.intentgrid.samples.kge;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.collection.IList;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.pipeline.BatchStage;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.jet.pipeline.Sources;
import com.hazelcast.jet.pipeline.StreamStage;
import org.intentgrid.KeyDistribution;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Sampling;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.intentgrid.jet.StepBatch;
import org.intentgrid.jet.TrainingStage;
import org.intentgrid.samples.train.StreamRun;
import org.intentgrid.samples.train.Tables;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Online knowledge graph embeddings ({@link StreamRun}): a generator writes training triples into an IMap with an
 * event journal at a set rate, pass after pass in shuffled order; a Jet job reads the journal and trains them with a
 * {@link TrainingStage} on every member; the driver prints a live line per second (throughput, loss, local share,
 * end-to-end lag) and a rolling validation MRR.
 */
final class KgeStream
{
    /** End-to-end lags of the items trained by {@link #latency} runs, in milliseconds (this JVM's members). */
    private static final Recorder LAGS = new Recorder(3);

    /**
     * How the stream and its training are set up.
     *
     * @param checkpointDirectory where the exactly-once stage writes its checkpoints (the schedule's guarantee
     *                            {@code EXACTLY_ONCE}); null for at-least-once
     */
    record Settings(KgeModel model, int dim, int negRatio, double learningRate, double regularization,
                    int lookahead, int itemsPerStep, int evalTriples, StreamRun.Schedule schedule, long seed,
                    String checkpointDirectory)
    {
    }

    /** The whole run (a tick's quality is the rolling validation MRR) and the validation metrics at its end. */
    record Result(StreamRun.Outcome outcome, Map<String, Double> validation)
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
    private final StreamRun stream = new StreamRun("kge-stream");
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
        stream.enableJournal(grid.member(0).hazelcast());
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
        final Job job = hz.getJet().newJob(pipeline(), StreamRun.jobConfig("kge-stream", settings.schedule()));
        final StreamRun.Outcome outcome = stream.run(hz, job, settings.schedule(), train.size(), settings.seed(),
            this::encode, () -> validMrr(evalSample), "valid MRR", out);
        final Map<String, Double> validation = evaluation.evaluate(valid, Tables.leading(grid, entityTable, entities,
            settings.dim()), relationVectors());
        return new Result(outcome, validation);
    }

    private long[] encode(final int triple, final long nowMillis)
    {
        return StreamTriple.encode(train.subjects[triple], train.relations[triple], train.objects[triple], nowMillis);
    }

    /**
     * The training capacity: writes {@code items} triples into the journal first, then starts the job and times
     * it until it trained them all.
     */
    Capacity capacity(final long items) throws InterruptedException
    {
        final HazelcastInstance hz = grid.member(0).hazelcast();
        final AtomicLong produced = new AtomicLong();
        stream.produce(hz, produced, 0, items, train.size(), settings.seed(), this::encode);
        final Job job = hz.getJet().newJob(pipeline());
        final IList<Object> events = hz.getList(stream.events());
        final StreamRun.Totals totals = new StreamRun.Totals();
        final long start = System.nanoTime();
        totals.awaitTrained(produced.get(), events, TimeUnit.MINUTES.toNanos(10), 20);
        final double seconds = (System.nanoTime() - start) / 1e9;
        job.cancel();
        return new Capacity(totals.trained(), seconds, totals.trained() / seconds, totals.localShare());
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
        final Thread producer = new Thread(() -> stream.produce(hz, produced, rate, items, train.size(),
            settings.seed(), this::encode), "kge-stream-producer");
        producer.setDaemon(true);
        producer.start();
        producer.join();
        new StreamRun.Totals().awaitTrained(produced.get(), hz.getList(stream.events()), TimeUnit.SECONDS.toNanos(60),
            20);
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
            .readFrom(stream.source())
            .withoutTimestamps()
            .map(entry -> StreamTriple.of(entry.getValue()));
        stage(recordLags).applyTo(triples).writeTo(Sinks.list(stream.events()));
        return pipeline;
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

    private static Triples sample(final Triples triples, final int count, final long seed)
    {
        final int n = Math.min(count, triples.size());
        final int[] order = StreamRun.permutation(triples.size(), new SplittableRandom(seed ^ 0x5eed));
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

}
