package org.intentgrid.samples.mf;

import org.intentgrid.samples.train.InputFormatException;
import org.intentgrid.samples.train.AppCommand;
import org.intentgrid.samples.train.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code bin/intentgrid mf}: matrix factorization on {@code --data DIR} (train.mmc, test.mmc) or a planted matrix. */
@Command(name = "mf", mixinStandardHelpOptions = true,
    description = "Matrix factorization by DSGD (Latin-square blocks, AdaGrad, bold driver); test RMSE.")
public final class MfCommand implements Callable<Integer>, AppCommand
{
    @Mixin
    TrainOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--rank", defaultValue = "16", description = "factor rank (default ${DEFAULT-VALUE})")
    int rank;

    @Option(names = "--optimizer", defaultValue = "adagrad",
        description = "adagrad, or sgd as the reference system (default ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--lr", description = "initial rate (default 0.2 for adagrad, 0.1 for sgd)")
    Double learningRate;

    @Option(names = "--reg", defaultValue = "0.005", description = "L2 weight per entry (default ${DEFAULT-VALUE})")
    double regularization;

    @Option(names = "--gen-rows", defaultValue = "4000", description = "generated: rows (default ${DEFAULT-VALUE})")
    int genRows;

    @Option(names = "--gen-columns", defaultValue = "2000",
        description = "generated: columns (default ${DEFAULT-VALUE})")
    int genColumns;

    @Option(names = "--gen-entries", defaultValue = "200000",
        description = "generated: entries (default ${DEFAULT-VALUE})")
    int genEntries;

    @Option(names = "--gen-rank", defaultValue = "8",
        description = "generated: planted rank (default ${DEFAULT-VALUE})")
    int genRank;

    @Option(names = "--gen-noise", defaultValue = "0.1",
        description = "generated: noise sd = best achievable RMSE (default ${DEFAULT-VALUE})")
    double genNoise;

    @Override
    public TrainOptions options()
    {
        return options;
    }

    @Override
    public Integer call()
    {
        return AppCommand.trainAndReport(this, options, spec, "mf");
    }

    @Override
    public MfApp app()
    {
        options.validate();
        final MfApp.Optimizer parsedOptimizer = MfApp.Optimizer.parse(optimizer);
        final double rate = learningRate != null ? learningRate : parsedOptimizer == MfApp.Optimizer.SGD ? 0.1 : 0.2;
        if (rank < 1 || rate <= 0 || regularization < 0)
        {
            throw new IllegalArgumentException("expected --rank >= 1, --lr > 0, --reg >= 0");
        }
        if (options.data != null)
        {
            final Path dir = options.data.toPath();
            final Entries train = Entries.read(dir.resolve("train.mmc"));
            final Entries test = Entries.read(dir.resolve("test.mmc"));
            if (test.rows != train.rows || test.columns != train.columns)
            {
                throw new InputFormatException(dir.resolve("test.mmc"), 0, "the matrix is " + test.rows + " x " +
                    test.columns + " but train.mmc's is " + train.rows + " x " + train.columns);
            }
            return new MfApp(train, test, rank, parsedOptimizer, rate, regularization, options.seed, dir.toString());
        }
        if (genRows < 2 || genColumns < 2 || genRank < 1 || genNoise < 0 || genEntries < 10 ||
            genEntries > (long)genRows * genColumns / 2)
        {
            throw new IllegalArgumentException("generated matrix: expected --gen-rows, --gen-columns >= 2, " +
                "--gen-rank >= 1, --gen-noise >= 0 and 10 <= --gen-entries <= rows x columns / 2");
        }
        final MfGenerator matrix = new MfGenerator(genRows, genColumns, genRank, genEntries, genNoise, options.seed);
        return new MfApp(matrix.train, matrix.test, rank, parsedOptimizer, rate, regularization, options.seed,
            String.format("generated: %d x %d, planted rank %d, noise %.3f (best achievable RMSE), %d/%d entries, " +
                "Zipf-skewed rows and columns", genRows, genColumns, genRank, genNoise, matrix.train.size(),
                matrix.test.size()));
    }
}
