package org.intentgrid.samples.kge;

import org.intentgrid.SamplingScheme;
import org.intentgrid.samples.train.AppCommand;
import org.intentgrid.samples.train.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code bin/intentgrid kge}: knowledge graph embeddings on {@code --data DIR} or on a generated graph. */
@Command(name = "kge", mixinStandardHelpOptions = true,
    description = "Knowledge graph embeddings (ComplEx or DistMult) with negative sampling; filtered MRR and Hits@k.")
public final class KgeCommand implements Callable<Integer>, AppCommand
{

    @Mixin
    TrainOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "complex", description = "complex or distmult (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--dim", defaultValue = "100", description = "floats per embedding (default ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--neg-ratio", defaultValue = "6",
        description = "negatives per side and triple (default ${DEFAULT-VALUE})")
    int negRatio;

    @Option(names = "--lr", defaultValue = "0.1", description = "AdaGrad learning rate (default ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--reg", defaultValue = "1e-4", description = "L2 regularization weight (default ${DEFAULT-VALUE})")
    double regularization;

    @Option(names = "--intent-ahead", defaultValue = "1000",
        description = "triples of look-ahead for intents and samples (default ${DEFAULT-VALUE})")
    int intentAhead;

    @Option(names = "--sampling", description = "sampling scheme: naive, preloc, pool or local (default: the grid's)")
    String sampling;

    @Mixin
    GraphOptions graph;

    @Override
    public TrainOptions options()
    {
        return options;
    }

    @Override
    public Integer call()
    {
        return AppCommand.trainAndReport(this, options, spec, "kge");
    }

    /** @return the app for these options, data read or generated (rejects bad options and input first) */
    @Override
    public KgeApp app()
    {
        options.validate();
        final KgeModel kgeModel = KgeModel.parse(model);
        if (dim < 2 || dim % 2 != 0)
        {
            throw new IllegalArgumentException("--dim " + dim + " is invalid; expected an even number >= 2");
        }
        if (negRatio < 1 || intentAhead < 1 || learningRate <= 0 || regularization < 0)
        {
            throw new IllegalArgumentException("expected --neg-ratio >= 1, --intent-ahead >= 1, --lr > 0, --reg >= 0");
        }
        final SamplingScheme scheme = sampling == null ? null : SamplingScheme.parse(sampling);
        final GraphOptions.Graph g = graph.graph(options.data, options.seed);
        return new KgeApp(kgeModel, dim, negRatio, learningRate, regularization, intentAhead, scheme, options.seed,
            g.train(), g.valid(), g.test(), g.entities(), g.relations(), g.description());
    }
}
