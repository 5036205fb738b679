package org.intentgrid.samples.kge;

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
 * {@code bin/intentgrid stream kge}: knowledge graph embeddings trained online by a Jet job on embedded members,
 * from a stream of triples that a generator writes into an IMap's event journal.
 */
@Command(name = "kge", mixinStandardHelpOptions = true,
    description = "Online knowledge graph embeddings: a generator streams triples into an IMap event journal, a Jet " +
        "job on every member trains them with look-ahead intents; a live line per second, JSON and PNG plots.")
public final class KgeStreamCommand implements Callable<Integer>
{
    @Mixin
    GraphOptions graph;

    @Option(names = "--data", description = "directory with train.del, valid.del, test.del (default: generate)")
    File data;

    @Mixin
    StreamOptions stream = new StreamOptions(5_000);

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--eval-triples", defaultValue = "200",
        description = "validation triples of a rolling validation (default ${DEFAULT-VALUE})")
    int evalTriples;

    @Option(names = "--json", defaultValue = "results/stream-kge.json", description = "result file; PNG plots " +
        "are written next to it (default ${DEFAULT-VALUE})")
    File json;

    @Override
    public Integer call() throws InterruptedException
    {
        final KgeStream.Settings settings = settings();
        final GraphOptions.Graph g = graph.graph(data, stream.seed);
        System.out.printf("stream kge: %s; %s%n", g.description(), stream.describe());
        final KgeStream.Result result = stream.onGrid(grid ->
        {
            final KgeStream kge = new KgeStream(grid, g.train(), g.valid(), g.test(), g.entities(), g.relations(),
                settings);
            kge.prepare();
            return kge.run(System.out);
        });
        final StreamRun.Outcome outcome = result.outcome();
        System.out.printf("produced %,d, trained %,d (%,.0f items/s), rejected %,d; local %.2f%%; lag mean %,.0f ms, " +
            "max %,d ms; valid MRR (filtered, all %d) %.4f, Hits@10 %.4f%n", outcome.produced(), outcome.trained(),
            outcome.itemsPerSecond(), outcome.rejected(), 100 * outcome.localShare(), outcome.meanLagMillis(),
            outcome.maxLagMillis(), g.valid().size(), result.validation().get("mrr_filtered"),
            result.validation().get("hits10_filtered"));
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("dataset", g.description());
        fields.put("validation", result.validation());
        stream.write(json, "stream-kge", fields, outcome, "valid MRR (" + evalTriples + " triples)");
        return 0;
    }

    private KgeStream.Settings settings()
    {
        final KgeModel model = modelOptions.validated();
        stream.validated();
        StreamOptions.require(evalTriples >= 1, "--eval-triples", evalTriples, ">= 1");
        return new KgeStream.Settings(model, modelOptions.dim, modelOptions.negRatio, modelOptions.learningRate,
            modelOptions.regularization, stream.lookahead, stream.itemsPerStep, evalTriples, stream.schedule(),
            stream.seed, stream.checkpointDirectory(json, "stream-kge"));
    }
}
