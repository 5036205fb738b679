package org.intentgrid.samples.mf;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.jet.pipeline.StreamStage;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.jet.TrainingStage;
import org.intentgrid.samples.train.StreamRun;
import org.intentgrid.samples.train.Tables;

import java.io.PrintStream;

/**
 * Online matrix factorization ({@link StreamRun}): a generator writes the training entries into an IMap with an
 * event journal at a set rate, pass after pass in shuffled order; a Jet job reads the journal and trains them with a
 * {@link TrainingStage} on every member (intents for each entry's row and column {@code lookahead} entries ahead);
 * the driver prints a live line per second with the test RMSE every few seconds.
 */
final class MfStream
{
    static final String ROW_TABLE = "mf-stream-rows";
    static final String COLUMN_TABLE = "mf-stream-columns";
    private static final String QUALITY = "test RMSE";

    /**
     * @param checkpointDirectory where the exactly-once stage writes its checkpoints (the schedule's guarantee
     *                            {@code EXACTLY_ONCE}); null for at-least-once
     */
    record Settings(int rank, double learningRate, double regularization, int lookahead, int itemsPerStep,
                    StreamRun.Schedule schedule, long seed, String checkpointDirectory)
    {
    }

    /** The whole run (a tick's quality is the test RMSE) and the RMSEs at its end. */
    record Result(StreamRun.Outcome outcome, double testRmse, double trainRmse)
    {
    }

    private final ParameterGrid grid;
    private final Entries train;
    private final Entries test;
    private final Settings settings;
    private final StreamRun stream = new StreamRun("mf-stream");
    private Table rowTable;
    private Table columnTable;

    MfStream(final ParameterGrid grid, final Entries train, final Entries test, final Settings settings)
    {
        this.grid = grid;
        this.train = train;
        this.test = test;
        this.settings = settings;
    }

    /** Declares and initializes the factor tables and gives the stream's map its journal. */
    void prepare()
    {
        rowTable = grid.table(TableSpec.of(ROW_TABLE, train.rows, settings.rank()));
        columnTable = grid.table(TableSpec.of(COLUMN_TABLE, train.columns, settings.rank()));
        try (ParameterWorker w = grid.worker())
        {
            MfApp.initialize(w, rowTable, train.rows, settings.rank(), settings.seed());
            MfApp.initialize(w, columnTable, train.columns, settings.rank(), settings.seed() + 1);
        }
        stream.enableJournal(grid.member(0).hazelcast());
    }

    /** The training stage of this run. */
    TrainingStage<StreamRating> stage()
    {
        final TrainingStage.Builder<StreamRating> builder = TrainingStage.builder("mf-training");
        if (settings.checkpointDirectory() != null)
        {
            builder.checkpointDirectory(settings.checkpointDirectory());
        }
        return builder
            .keys(ROW_TABLE, rating -> new long[] {rating.row()})
            .keys(COLUMN_TABLE, rating -> new long[] {rating.column()})
            .lookahead(settings.lookahead())
            .itemsPerStep(settings.itemsPerStep())
            .eventTime(StreamRating::eventTime)
            .reportEveryMillis(250)
            .step(new MfStreamStep(settings.rank(), settings.learningRate(), settings.regularization()))
            .build();
    }

    /** Runs the stream for the configured time, then lets the job drain what was produced. */
    Result run(final PrintStream out) throws InterruptedException
    {
        final HazelcastInstance hz = grid.member(0).hazelcast();
        final Job job = hz.getJet().newJob(pipeline(), StreamRun.jobConfig("mf-stream", settings.schedule()));
        final StreamRun.Outcome outcome = stream.run(hz, job, settings.schedule(), train.size(), settings.seed(),
            this::encode, this::testRmse, QUALITY, out);
        return new Result(outcome, testRmse(), rmse(train));
    }

    /** @return the factors' RMSE on the test entries now */
    double testRmse()
    {
        return rmse(test);
    }

    private long[] encode(final int entry, final long nowMillis)
    {
        return StreamRating.encode(train.row[entry], train.column[entry], train.value[entry], nowMillis);
    }

    private Pipeline pipeline()
    {
        final Pipeline pipeline = Pipeline.create();
        final StreamStage<StreamRating> ratings = pipeline.readFrom(stream.source())
            .withoutTimestamps()
            .map(entry -> StreamRating.of(entry.getValue()));
        stage().applyTo(ratings).writeTo(Sinks.list(stream.events()));
        return pipeline;
    }

    private double rmse(final Entries entries)
    {
        final int rank = settings.rank();
        return MfApp.rmse(entries, Tables.leading(grid, rowTable, train.rows, rank),
            Tables.leading(grid, columnTable, train.columns, rank), rank);
    }
}
