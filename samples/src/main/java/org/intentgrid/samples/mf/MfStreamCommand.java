package org.intentgrid.samples.mf;

import org.intentgrid.samples.train.StreamOptions;
import org.intentgrid.samples.train.StreamRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bin/intentgrid stream mf}: matrix factorization trained online by a Jet job on embedded members, from a
 * stream of matrix entries that a generator writes into an IMap's event journal.
 */
@Command(name = "mf", mixinStandardHelpOptions = true,
    description = "Online matrix factorization: a generator streams matrix entries into an IMap event journal, a " +
        "Jet job on every member trains them with look-ahead intents (SGD); a live line per second with the test " +
        "RMSE, JSON and PNG plots.")
public final class MfStreamCommand implements Callable<Integer>
{
    @Option(names = "--data", description = "directory with train.mmc and test.mmc (default: generate)")
    File data;

    @Mixin
    MatrixOptions matrixOptions;

    @Mixin
    StreamOptions stream = new StreamOptions(20_000);

    @Option(names = "--rank", defaultValue = "16", description = "factor rank (default ${DEFAULT-VALUE})")
    int rank;

    @Option(names = "--lr", defaultValue = "0.1", description = "SGD rate (default ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--reg", defaultValue = "0.005", description = "L2 weight per entry (default ${DEFAULT-VALUE})")
    double regularization;

    @Option(names = "--json", defaultValue = "results/stream-mf.json", description = "result file; PNG plots " +
        "are written next to it (default ${DEFAULT-VALUE})")
    File json;

    @Override
    public Integer call() throws InterruptedException
    {
        stream.validated();
        StreamOptions.require(rank >= 1, "--rank", rank, ">= 1");
        StreamOptions.require(learningRate > 0, "--lr", learningRate, "> 0");
        StreamOptions.require(regularization >= 0, "--reg", regularization, ">= 0");
        final MatrixOptions.Matrix matrix = matrixOptions.matrix(data, stream.seed);
        final MfStream.Settings settings = new MfStream.Settings(rank, learningRate, regularization,
            stream.lookahead, stream.itemsPerStep, stream.schedule(), stream.seed,
            stream.checkpointDirectory(json, "stream-mf"));
        System.out.printf("stream mf: %s; %s%n", matrix.description(), stream.describe());
        final MfStream.Result result = stream.onGrid(grid ->
        {
            final MfStream mf = new MfStream(grid, matrix.train(), matrix.test(), settings);
            mf.prepare();
            return mf.run(System.out);
        });
        final StreamRun.Outcome outcome = result.outcome();
        System.out.printf("produced %,d, trained %,d (%,.0f items/s), rejected %,d; local %.2f%%; lag mean %,.0f ms, " +
            "max %,d ms; test RMSE %.4f, train RMSE %.4f%n", outcome.produced(), outcome.trained(),
            outcome.itemsPerSecond(), outcome.rejected(), 100 * outcome.localShare(), outcome.meanLagMillis(),
            outcome.maxLagMillis(), result.testRmse(), result.trainRmse());
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("dataset", matrix.description());
        fields.put("rank", rank);
        fields.put("test_rmse", result.testRmse());
        fields.put("train_rmse", result.trainRmse());
        stream.write(json, "stream-mf", fields, outcome, "test RMSE");
        return 0;
    }
}
