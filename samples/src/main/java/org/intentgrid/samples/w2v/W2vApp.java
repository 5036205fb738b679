package org.intentgrid.samples.w2v;

import org.agrona.collections.Int2IntHashMap;
import org.intentgrid.Init;
import org.intentgrid.OpHandle;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.SampleHandle;
import org.intentgrid.Sampling;
import org.intentgrid.SamplingScheme;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.samples.train.EpochContext;
import org.intentgrid.samples.train.Tables;
import org.intentgrid.samples.train.TrainingApp;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * word2vec's skip-gram with negative sampling (Mikolov et al. 2013): frequent words subsampled, a random
 * reduced window per centre word, {@code negatives} noise words per (centre, context) pair drawn from the
 * unigram^0.75 distribution through the grid's sampling API, SGD with a linearly decaying rate, one batched pull
 * and push per sentence (its pairs step on local copies in between). Sentences are
 * planned {@code readAhead} sentences early: subsampling and windows are drawn then, so the worker knows the
 * sentence's words (and signals intent for them) and the exact number of negatives it will need (and prepares
 * that sample).
 */
final class W2vApp implements TrainingApp
{
    private final Corpus corpus;
    private final int dim;
    private final int window;
    private final int negatives;
    private final double initialRate;
    private final double subsample;
    private final int readAhead;
    private final int epochs;
    private final SamplingScheme samplingScheme;
    private final long seed;
    private final String dataset;
    private final UnigramDistribution noise;
    private final long wordsPerEpoch;
    private Table inputTable;
    private Table outputTable;

    W2vApp(
        final Corpus corpus, final int dim, final int window, final int negatives, final double initialRate,
        final double subsample, final int readAhead, final int epochs, final SamplingScheme samplingScheme,
        final long seed, final String dataset)
    {
        this.corpus = corpus;
        this.dim = dim;
        this.window = window;
        this.negatives = negatives;
        this.initialRate = initialRate;
        this.subsample = subsample;
        this.readAhead = readAhead;
        this.epochs = epochs;
        this.samplingScheme = samplingScheme;
        this.seed = seed;
        this.dataset = dataset;
        this.noise = new UnigramDistribution(corpus.counts, 0.75);
        long words = 0;
        for (final int[] sentence : corpus.sentences)
        {
            words += sentence.length;
        }
        this.wordsPerEpoch = words;
    }

    @Override
    public String name()
    {
        return "w2v";
    }

    @Override
    public String dataset()
    {
        return dataset;
    }

    @Override
    public String qualityMetric()
    {
        return corpus.group != null ? "nn_score" : "loss";
    }

    @Override
    public boolean higherIsBetter()
    {
        return corpus.group != null;
    }

    @Override
    public long examplesPerEpoch()
    {
        return wordsPerEpoch;
    }

    @Override
    public void initialize(final ParameterGrid grid)
    {
        // the input vectors start from the table's deterministic initializer, the output vectors at zero
    }

    @Override
    public void declare(final ParameterGrid grid, final int workers, final String tablePrefix)
    {
        inputTable = grid.table(TableSpec.of(tablePrefix + "w2v-input", corpus.vocabulary(), dim)
            .init(Init.uniform(-0.5 / dim, 0.5 / dim, seed)));
        outputTable = grid.table(TableSpec.of(tablePrefix + "w2v-output", corpus.vocabulary(), dim));
        final Sampling sampling = Sampling.of(noise).seed(seed);
        grid.enableSampling(outputTable, samplingScheme == null ? sampling : sampling.scheme(samplingScheme));
    }

    @Override
    public double[] trainEpoch(final EpochContext context)
    {
        return new WorkerLoop(context).run();
    }

    /** A sentence as planned ahead: the (centre, context) pairs that survived subsampling, and their noise sample. */
    private static final class Plan
    {
        int[] centres = new int[64];
        int[] contexts = new int[64];
        int pairs;
        long[] words = new long[64];
        int wordCount;
        SampleHandle sample;
    }

    private final class WorkerLoop
    {
        private final EpochContext context;
        private final ParameterWorker worker;
        private final int[] order;
        private final Plan[] plans;
        private final SplittableRandom random;
        private final int[] kept;
        private final Int2IntHashMap slotOf = new Int2IntHashMap(-1);
        private final float[] centreGradient = new float[dim];
        /* Buffers reused across sentences, grown to the largest sentence so far: the grid calls take a key count. */
        private float[] input = new float[0];
        private float[] output = new float[0];
        private float[] inputDelta = new float[0];
        private float[] outputDelta = new float[0];
        private long[] noiseKeys = new long[0];
        private float[] noise = new float[0];
        private float[] noiseDelta = new float[0];

        WorkerLoop(final EpochContext context)
        {
            this.context = context;
            this.worker = context.worker();
            this.random = context.random(seed);
            order = context.shuffledShare(corpus.sentences.length, random);
            int longest = 1;
            for (final int sentence : order)
            {
                longest = Math.max(longest, corpus.sentences[sentence].length);
            }
            kept = new int[longest];
            plans = new Plan[Math.min(readAhead, Math.max(1, order.length)) + 1];
            for (int i = 0; i < plans.length; i++)
            {
                plans[i] = new Plan();
            }
        }

        double[] run()
        {
            final long base = worker.clock();
            final int ahead = plans.length - 1;
            for (int t = 0; t < Math.min(ahead, order.length); t++)
            {
                plan(plans[t % plans.length], corpus.sentences[order[t]], base + t);
            }
            double loss = 0;
            long terms = 0;
            for (int t = 0; t < order.length; t++)
            {
                if (t + ahead < order.length)
                {
                    plan(plans[(t + ahead) % plans.length], corpus.sentences[order[t + ahead]], base + t + ahead);
                }
                final Plan plan = plans[t % plans.length];
                if (plan.pairs > 0)
                {
                    final double progress = (context.epoch() - 1 + (double)t / order.length) / epochs;
                    loss += sentence(plan, initialRate * Math.max(1e-4, 1 - progress));
                    terms += plan.pairs;
                }
                worker.advanceClock();
                context.progress(corpus.sentences[order[t]].length);
            }
            return new double[] {loss, terms};
        }

        /** Draws the sentence's subsampling and windows now, signals intent and prepares its noise words. */
        private void plan(final Plan plan, final int[] sentence, final long clock)
        {
            int n = 0;
            for (final int word : sentence)
            {
                final double frequency = (double)corpus.counts[word] / corpus.tokens;
                final double keep = subsample <= 0 ? 1 : (Math.sqrt(frequency / subsample) + 1) * subsample / frequency;
                if (keep >= 1 || random.nextDouble() < keep)
                {
                    kept[n++] = word;
                }
            }
            plan.pairs = 0;
            plan.wordCount = 0;
            slotOf.clear();
            for (int i = 0; i < n; i++)
            {
                final int reduced = 1 + random.nextInt(window);
                for (int j = Math.max(0, i - reduced); j <= Math.min(n - 1, i + reduced); j++)
                {
                    if (j != i)
                    {
                        if (plan.pairs == plan.centres.length)
                        {
                            plan.centres = Arrays.copyOf(plan.centres, 2 * plan.pairs);
                            plan.contexts = Arrays.copyOf(plan.contexts, 2 * plan.pairs);
                        }
                        plan.centres[plan.pairs] = kept[i];
                        plan.contexts[plan.pairs] = kept[j];
                        plan.pairs++;
                    }
                }
                if (slotOf.get(kept[i]) < 0)
                {
                    slotOf.put(kept[i], plan.wordCount);
                    if (plan.wordCount == plan.words.length)
                    {
                        plan.words = Arrays.copyOf(plan.words, 2 * plan.wordCount);
                    }
                    plan.words[plan.wordCount++] = kept[i];
                }
            }
            plan.sample = null;
            if (plan.pairs > 0)
            {
                worker.intent(inputTable, plan.words, plan.wordCount, clock, clock + 1);
                worker.intent(outputTable, plan.words, plan.wordCount, clock, clock + 1);
                plan.sample = worker.prepareSample(outputTable, plan.pairs * negatives, clock, clock + 1);
            }
        }

        /**
         * Trains on all pairs of one sentence: one batched pull of the sentence's input and output vectors and of its
         * noise words, the SGD steps on local copies (so later pairs see earlier steps), one push of the changes.
         *
         * @return the sentence's summed loss
         */
        private double sentence(final Plan plan, final double rate)
        {
            final int distinct = plan.wordCount;
            final int noiseCount = plan.pairs * negatives;
            ensureCapacity(distinct, noiseCount);
            final long[] words = plan.words;
            slotOf.clear();
            for (int i = 0; i < distinct; i++)
            {
                slotOf.put((int)words[i], i);
            }
            final OpHandle inputPull = worker.pull(inputTable, words, distinct, input);
            final OpHandle outputPull = worker.pull(outputTable, words, distinct, output);
            worker.pullSample(plan.sample, noiseKeys, noiseCount, noise).await();
            worker.finishSample(plan.sample);
            inputPull.await();
            outputPull.await();
            Arrays.fill(inputDelta, 0, distinct * dim, 0);
            Arrays.fill(outputDelta, 0, distinct * dim, 0);
            Arrays.fill(noiseDelta, 0, noiseCount * dim, 0);
            double loss = 0;
            for (int p = 0; p < plan.pairs; p++)
            {
                final int c = slotOf.get(plan.centres[p]) * dim;
                Arrays.fill(centreGradient, 0);
                loss += target(c, output, outputDelta, slotOf.get(plan.contexts[p]) * dim, 1, rate);
                for (int k = 0; k < negatives; k++)
                {
                    loss += target(c, noise, noiseDelta, (p * negatives + k) * dim, 0, rate);
                }
                for (int j = 0; j < dim; j++)
                {
                    input[c + j] += centreGradient[j];
                    inputDelta[c + j] += centreGradient[j];
                }
            }
            worker.push(inputTable, words, distinct, inputDelta);
            worker.push(outputTable, words, distinct, outputDelta);
            worker.push(outputTable, noiseKeys, noiseCount, noiseDelta);
            return loss;
        }

        /**
         * One logistic term of the centre at {@code c} against the vector at {@code o} of {@code vectors}. In floats,
         * as the reference word2vec computes: C2 vectorizes the update loop only without float-double conversions
         * (mixed, this method took about half of a worker's time), and the dot product sums four independent chains.
         */
        private double target(
            final int c, final float[] vectors, final float[] deltas, final int o, final double label,
                final double rate)
        {
            final double p = sigmoid(dot(input, c, vectors, o, dim));
            final float g = (float)(rate * (label - p));
            for (int j = 0; j < dim; j++)
            {
                centreGradient[j] += g * vectors[o + j];
                final float step = g * input[c + j];
                vectors[o + j] += step;
                deltas[o + j] += step;
            }
            return -Math.log(Math.max(label > 0 ? p : 1 - p, 1e-12));
        }

        private void ensureCapacity(final int distinct, final int noiseCount)
        {
            if (input.length < distinct * dim)
            {
                input = new float[distinct * dim];
                output = new float[distinct * dim];
                inputDelta = new float[distinct * dim];
                outputDelta = new float[distinct * dim];
            }
            if (noiseKeys.length < noiseCount)
            {
                noiseKeys = new long[noiseCount];
                noise = new float[noiseCount * dim];
                noiseDelta = new float[noiseCount * dim];
            }
        }
    }

    @Override
    public Map<String, Object> evaluate(final ParameterGrid grid)
    {
        final int v = corpus.vocabulary();
        final float[] input = Tables.leading(grid, inputTable, v, dim);
        final float[] output = Tables.leading(grid, outputTable, v, dim);
        final Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("loss", heldOutLoss(input, output));
        if (corpus.group != null)
        {
            metrics.put("nn_score", nearestNeighbourScore(input));
        }
        return metrics;
    }

    /** @return the mean skip-gram loss of 2000 fixed (centre, context, noise) samples */
    private double heldOutLoss(final float[] input, final float[] output)
    {
        final SplittableRandom random = new SplittableRandom(seed ^ 0x5eed);
        double loss = 0;
        final int samples = 2000;
        for (int n = 0; n < samples; n++)
        {
            final int[] sentence = corpus.sentences[random.nextInt(corpus.sentences.length)];
            final int i = random.nextInt(sentence.length);
            final int j = i + 1 < sentence.length ? i + 1 : i - 1;
            loss -= Math.log(Math.max(sigmoid(dot(input, sentence[i], output, sentence[j])), 1e-12));
            for (int k = 0; k < negatives; k++)
            {
                loss -= Math.log(Math.max(1 - sigmoid(dot(input, sentence[i], output, (int)noise.draw(random))),
                    1e-12));
            }
        }
        return loss / samples;
    }

    /** @return share of words whose nearest neighbour (cosine of input vectors) is in their planted group */
    private double nearestNeighbourScore(final float[] input)
    {
        final int v = corpus.vocabulary();
        final double[] norm = new double[v];
        for (int w = 0; w < v; w++)
        {
            norm[w] = Math.sqrt(Math.max(dot(input, w, input, w), 1e-30));
        }
        int hits = 0;
        for (int w = 0; w < v; w++)
        {
            int best = -1;
            double bestCosine = Double.NEGATIVE_INFINITY;
            for (int u = 0; u < v; u++)
            {
                if (u != w)
                {
                    final double cosine = dot(input, w, input, u) / (norm[w] * norm[u]);
                    if (cosine > bestCosine)
                    {
                        bestCosine = cosine;
                        best = u;
                    }
                }
            }
            hits += corpus.group[best] == corpus.group[w] ? 1 : 0;
        }
        return (double)hits / v;
    }

    private double dot(final float[] a, final int i, final float[] b, final int j)
    {
        double sum = 0;
        for (int k = 0; k < dim; k++)
        {
            sum += a[i * dim + k] * b[j * dim + k];
        }
        return sum;
    }

    /** @return the dot product of {@code n} floats of {@code a} and {@code b}, summed in four interleaved chains */
    private static float dot(final float[] a, final int aOffset, final float[] b, final int bOffset, final int n)
    {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4)
        {
            s0 += a[aOffset + j] * b[bOffset + j];
            s1 += a[aOffset + j + 1] * b[bOffset + j + 1];
            s2 += a[aOffset + j + 2] * b[bOffset + j + 2];
            s3 += a[aOffset + j + 3] * b[bOffset + j + 3];
        }
        for (; j < n; j++)
        {
            s0 += a[aOffset + j] * b[bOffset + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double sigmoid(final double x)
    {
        return 1 / (1 + Math.exp(-x));
    }
}
