package org.intentgrid.samples.mf;

import org.intentgrid.samples.train.AppCommand;
import org.intentgrid.samples.train.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

    @Mixin
    MatrixOptions matrixOptions;

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
        final MatrixOptions.Matrix matrix = matrixOptions.matrix(options.data, options.seed);
        return new MfApp(matrix.train(), matrix.test(), rank, parsedOptimizer, rate, regularization, options.seed,
            matrix.description());
    }
}
