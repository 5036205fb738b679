package org.intentgrid.samples.kge;

import org.intentgrid.SamplingScheme;
import org.intentgrid.samples.train.AppCommand;
import org.intentgrid.samples.train.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
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

    @Option(names = "--gen-entities", defaultValue = "2000",
        description = "generated graph: entities (default ${DEFAULT-VALUE})")
    int genEntities;

    @Option(names = "--gen-relations", defaultValue = "10",
        description = "generated graph: relations (default ${DEFAULT-VALUE})")
    int genRelations;

    @Option(names = "--gen-triples-per-entity", defaultValue = "20",
        description = "generated graph: triples per entity (default ${DEFAULT-VALUE})")
    int genTriplesPerEntity;

    @Option(names = "--gen-cluster-size", defaultValue = "5",
        description = "generated graph: entities per cluster (default ${DEFAULT-VALUE})")
    int clusterSize;

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
        if (options.data != null)
        {
            final Path dir = options.data.toPath();
            final Triples train = Triples.read(dir.resolve("train.del"), Integer.MAX_VALUE, Integer.MAX_VALUE);
            final int entities = train.entityBound();
            final int relations = train.relationBound();
            final Triples valid = Triples.read(dir.resolve("valid.del"), entities, relations);
            final Triples test = Triples.read(dir.resolve("test.del"), entities, relations);
            return new KgeApp(kgeModel, dim, negRatio, learningRate, regularization, intentAhead, scheme, options.seed,
                train, valid, test, entities, relations, dir.toString());
        }
        if (clusterSize < 2 || genEntities < 2 * clusterSize || genRelations < 1 || genTriplesPerEntity < 1 ||
            genTriplesPerEntity > genRelations * clusterSize / 2)
        {
            throw new IllegalArgumentException("generated graph: expected --gen-entities >= " + 2 * clusterSize +
                ", --gen-relations >= 1 " +
                "and 1 <= --gen-triples-per-entity <= relations x " + clusterSize / 2);
        }
        final KgeGenerator graph = new KgeGenerator(genEntities, genRelations, clusterSize, genTriplesPerEntity,
            options.seed);
        return new KgeApp(kgeModel, dim, negRatio, learningRate, regularization, intentAhead, scheme, options.seed,
            graph.train, graph.valid, graph.test, graph.entities, graph.relations,
            String.format("generated: %d entities in clusters of " + clusterSize + ", %d relations, %d/%d/%d triples",
                graph.entities,
                graph.relations, graph.train.size(), graph.valid.size(), graph.test.size()));
    }
}
