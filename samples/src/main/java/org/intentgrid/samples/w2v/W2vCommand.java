package org.intentgrid.samples.w2v;

import org.intentgrid.SamplingScheme;
import org.intentgrid.samples.train.AppCommand;
import org.intentgrid.samples.train.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code bin/intentgrid w2v}: word vectors on the {@code *.txt} files of {@code --data DIR} or on generated text. */
@Command(name = "w2v", mixinStandardHelpOptions = true,
    description = "Word vectors: skip-gram with negative sampling; held-out loss and, on generated text, the " +
        "nearest-neighbour score.")
public final class W2vCommand implements Callable<Integer>, AppCommand
{
    @Mixin
    TrainOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--dim", defaultValue = "50", description = "vector size (default ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--window", defaultValue = "5", description = "context window (default ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--negatives", defaultValue = "5", description = "noise words per pair (default ${DEFAULT-VALUE})")
    int negatives;

    @Option(names = "--lr", defaultValue = "0.025", description = "initial SGD rate (default ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--min-count", defaultValue = "5", description = "drop rarer words (default ${DEFAULT-VALUE})")
    int minCount;

    @Option(names = "--subsample", defaultValue = "1e-3",
        description = "frequent-word subsampling threshold, 0 for none (default ${DEFAULT-VALUE})")
    double subsample;

    @Option(names = "--read-ahead", defaultValue = "200",
        description = "sentences planned ahead for intents and samples (default ${DEFAULT-VALUE})")
    int readAhead;

    @Option(names = "--sampling", description = "sampling scheme: naive, preloc, pool or local (default: the grid's)")
    String sampling;

    @Option(names = "--gen-groups", defaultValue = "100",
        description = "generated: word groups (default ${DEFAULT-VALUE})")
    int genGroups;

    @Option(names = "--gen-group-size", defaultValue = "5",
        description = "generated: words per group (default ${DEFAULT-VALUE})")
    int genGroupSize;

    @Option(names = "--gen-sentences", defaultValue = "5000",
        description = "generated: sentences (default ${DEFAULT-VALUE})")
    int genSentences;

    @Override
    public TrainOptions options()
    {
        return options;
    }

    @Override
    public Integer call()
    {
        return AppCommand.trainAndReport(this, options, spec, "w2v");
    }

    @Override
    public W2vApp app()
    {
        options.validate();
        if (dim < 1 || window < 1 || negatives < 1 || learningRate <= 0 || minCount < 1 || subsample < 0 ||
            readAhead < 1)
        {
            throw new IllegalArgumentException(
                "expected --dim, --window, --negatives, --min-count, --read-ahead >= 1, " +
                "--lr > 0, --subsample >= 0");
        }
        final SamplingScheme scheme = sampling == null ? null : SamplingScheme.parse(sampling);
        if (options.data != null)
        {
            final Corpus corpus = Corpus.read(options.data.toPath(), minCount, 1000);
            return new W2vApp(corpus, dim, window, negatives, learningRate, subsample, readAhead, options.epochs,
                scheme,
                options.seed, options.data + String.format(" (%d sentences, %d words, vocabulary %d at min count %d)",
                    corpus.sentences.length, corpus.tokens, corpus.vocabulary(), minCount));
        }
        if (genGroups < 2 || genGroupSize < 2 || genSentences < 10)
        {
            throw new IllegalArgumentException("generated text: expected --gen-groups >= 2, --gen-group-size >= 2, " +
                "--gen-sentences >= 10");
        }
        final Corpus corpus = Corpus.planted(genGroups, genGroupSize, genSentences, 20, options.seed);
        return new W2vApp(corpus, dim, window, negatives, learningRate, subsample, readAhead, options.epochs, scheme,
            options.seed, String.format("generated: %d groups of %d interchangeable words, %d sentences of 20 words",
                genGroups, genGroupSize, genSentences));
    }
}
