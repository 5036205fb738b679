package org.intentgrid.samples.kge;

import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Path;

/** Where a knowledge graph comes from: {@code --data DIR} (read elsewhere) or the generator's options. */
public final class GraphOptions
{
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

    /** A graph split into training, validation and test triples. */
    record Graph(Triples train, Triples valid, Triples test, int entities, int relations, String description)
    {
    }

    /**
     * @param data a directory with {@code train.del}, {@code valid.del} and {@code test.del}, or null to generate
     * @return the graph (rejects bad options and malformed files first)
     */
    Graph graph(final File data, final long seed)
    {
        if (data != null)
        {
            final Path dir = data.toPath();
            final Triples train = Triples.read(dir.resolve("train.del"), Integer.MAX_VALUE, Integer.MAX_VALUE);
            final int entities = train.entityBound();
            final int relations = train.relationBound();
            final Triples valid = Triples.read(dir.resolve("valid.del"), entities, relations);
            final Triples test = Triples.read(dir.resolve("test.del"), entities, relations);
            return new Graph(train, valid, test, entities, relations, dir.toString());
        }
        if (clusterSize < 2 || genEntities < 2 * clusterSize || genRelations < 1 || genTriplesPerEntity < 1 ||
            genTriplesPerEntity > genRelations * clusterSize / 2)
        {
            throw new IllegalArgumentException("generated graph: expected --gen-entities >= " + 2 * clusterSize +
                ", --gen-relations >= 1 " +
                "and 1 <= --gen-triples-per-entity <= relations x " + clusterSize / 2);
        }
        final KgeGenerator graph = new KgeGenerator(genEntities, genRelations, clusterSize, genTriplesPerEntity, seed);
        return new Graph(graph.train, graph.valid, graph.test, graph.entities, graph.relations,
            String.format("generated: %d entities in clusters of " + clusterSize + ", %d relations, %d/%d/%d triples",
                graph.entities, graph.relations, graph.train.size(), graph.valid.size(), graph.test.size()));
    }
}
