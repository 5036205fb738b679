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
    description = "Knowledge graph embeddings (ComplEx, DistMult or RESCAL) with negative sampling; filtered MRR " +
        "and Hits@k.")
public final class KgeCommand implements Callable<Integer>, AppCommand
{

    @Mixin
    TrainOptions options;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--intent-ahead", defaultValue = "4000",
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
        final KgeModel kgeModel = modelOptions.validated();
        if (intentAhead < 1)
        {
            throw new IllegalArgumentException("--intent-ahead " + intentAhead + " is invalid; expected >= 1");
        }
        final SamplingScheme scheme = sampling == null ? null : SamplingScheme.parse(sampling);
        final GraphOptions.Graph g = graph.graph(options.data, options.seed);
        return new KgeApp(kgeModel, modelOptions.dim, modelOptions.negRatio, modelOptions.learningRate,
            modelOptions.regularization, intentAhead, scheme, options.seed,
            g.train(), g.valid(), g.test(), g.entities(), g.relations(), g.description());
    }
}
