package org.intentgrid.samples.kge;

import org.intentgrid.KeyDistribution;
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
 * Knowledge graph embeddings trained with negative sampling: binary cross-entropy on each training triple
 * and on {@code 2 x negRatio} corruptions (subjects and objects drawn through the grid's sampling API),
 * AdaGrad, L2 regularization. Each key's value holds its embedding followed by its AdaGrad sums, so one pull
 * brings both and one push applies the step and the squared gradient. Every worker signals intent for the
 * entities and relation of the triple it will process {@code intentAhead} triples later, and prepares that
 * triple's negative sample at the same time.
 */
final class KgeApp implements TrainingApp
{
    static final String ENTITY_TABLE = "kge-entities";
    static final String RELATION_TABLE = "kge-relations";

    private final int dim;
    /** Floats per relation vector: {@code dim}, or {@code dim x dim} for RESCAL. */
    private final int relationLength;
    private final int negRatio;
    private final int intentAhead;
    private final SamplingScheme samplingScheme;
    private final long seed;
    private final Triples train;
    private final Triples valid;
    private final Triples test;
    private final int entities;
    private final int relations;
    private final String dataset;
    private final LinkPrediction evaluation;
    private final KgeGradients gradients;
    private Table entityTable;
    private Table relationTable;

    KgeApp(
        final KgeModel model, final int dim, final int negRatio, final double learningRate, final double regularization,
        final int intentAhead, final SamplingScheme samplingScheme, final long seed, final Triples train,
        final Triples valid, final Triples test, final int entities, final int relations, final String dataset)
    {
        this.dim = dim;
        this.relationLength = model.relationLength(dim);
        this.negRatio = negRatio;
        this.intentAhead = intentAhead;
        this.samplingScheme = samplingScheme;
        this.seed = seed;
        this.train = train;
        this.valid = valid;
        this.test = test;
        this.entities = entities;
        this.relations = relations;
        this.dataset = dataset;
        this.evaluation = new LinkPrediction(model, dim, entities, relations, train, valid, test);
        this.gradients = new KgeGradients(model, dim, learningRate, regularization);
    }

    @Override
    public String name()
    {
        return "kge";
    }

    @Override
    public String dataset()
    {
        return dataset;
    }

    @Override
    public String qualityMetric()
    {
        return "valid_mrr_filtered";
    }

    @Override
    public boolean higherIsBetter()
    {
        return true;
    }

    @Override
    public long examplesPerEpoch()
    {
        return train.size();
    }

    @Override
    public void declare(final ParameterGrid grid, final int workers, final String tablePrefix)
    {
        entityTable = grid.table(TableSpec.of(tablePrefix + ENTITY_TABLE, entities, 2 * dim));
        relationTable = grid.table(TableSpec.of(tablePrefix + RELATION_TABLE, relations, 2 * relationLength));
        final Sampling sampling = Sampling.of(KeyDistribution.uniform(0, entities)).seed(seed);
        grid.enableSampling(entityTable, samplingScheme == null ? sampling : sampling.scheme(samplingScheme));
    }

    @Override
    public void initialize(final ParameterGrid grid)
    {
        try (ParameterWorker w = grid.worker())
        {
            initialize(w, entityTable, entities, dim, seed);
            initialize(w, relationTable, relations, relationLength, seed + 1);
        }
    }

    /**
     * Sets every embedding of {@code length} floats to small random values (uniform within {@code 1 / sqrt(length)})
     * and its AdaGrad sums to zero.
     */
    static void initialize(final ParameterWorker w, final Table table, final int count, final int length,
        final long initSeed)
    {
        final SplittableRandom random = new SplittableRandom(initSeed);
        final double scale = 1.0 / Math.sqrt(length);
        final long[] keys = new long[count];
        final float[] values = new float[count * 2 * length];
        for (int k = 0; k < count; k++)
        {
            keys[k] = k;
            for (int j = 0; j < length; j++)
            {
                values[k * 2 * length + j] = (float)((random.nextDouble() * 2 - 1) * scale);
            }
        }
        w.set(table, keys, values).await();
    }

    @Override
    public double[] trainEpoch(final EpochContext context)
    {
        return new WorkerLoop(context).run();
    }

    /** One worker's pass over its share of the triples; all buffers are allocated once per epoch. */
    private final class WorkerLoop
    {
        private final EpochContext context;
        private final ParameterWorker worker;
        private final int[] order;
        private final int ahead;
        private final SampleHandle[] samples;
        private final long[] pairKeys = new long[2];
        private final long[] relationKey = new long[1];
        private final long[] negativeKeys;
        private final long[] entityKeys;
        private final float[] entityValues;
        private final float[] pairValues;
        private final float[][] negativeValues;
        private final float[] relationValues;
        private final float[] entityGradients;
        private final float[] relationGradient;
        private final float[] entityUpdate;
        private final float[] relationUpdate;

        WorkerLoop(final EpochContext context)
        {
            this.context = context;
            this.worker = context.worker();
            this.order = context.shuffledShare(train.size(), context.random(seed));
            this.ahead = Math.min(intentAhead, order.length);
            this.samples = new SampleHandle[ahead + 1];
            final int entityCount = 2 + 2 * negRatio;
            this.negativeKeys = new long[negRatio];
            this.entityKeys = new long[entityCount];
            this.entityValues = new float[entityCount * 2 * dim];
            this.pairValues = new float[2 * 2 * dim];
            this.negativeValues = new float[][] {new float[negRatio * 2 * dim], new float[negRatio * 2 * dim]};
            this.relationValues = new float[2 * relationLength];
            this.entityGradients = new float[entityCount * dim];
            this.relationGradient = new float[relationLength];
            this.entityUpdate = new float[entityCount * 2 * dim];
            this.relationUpdate = new float[2 * relationLength];
        }

        double[] run()
        {
            final long base = worker.clock();
            for (int t = 0; t < ahead; t++)
            {
                plan(t, base + t);
            }
            double loss = 0;
            for (int t = 0; t < order.length; t++)
            {
                if (t + ahead < order.length)
                {
                    plan(t + ahead, base + t + ahead);
                }
                loss += step(order[t], samples[t % samples.length]);
                worker.advanceClock();
                if ((t & 63) == 63)
                {
                    context.progress(64);
                }
            }
            context.progress(order.length & 63);
            return new double[] {loss, order.length * (1.0 + 2 * negRatio)};
        }

        private void plan(final int t, final long clock)
        {
            final int triple = order[t];
            pairKeys[0] = train.subjects[triple];
            pairKeys[1] = train.objects[triple];
            relationKey[0] = train.relations[triple];
            worker.intent(entityTable, pairKeys, clock, clock + 1);
            worker.intent(relationTable, relationKey, clock, clock + 1);
            samples[t % samples.length] = worker.prepareSample(entityTable, 2 * negRatio, clock, clock + 1);
        }

        /** Trains on one triple and its negatives; returns the summed loss. */
        private double step(final int triple, final SampleHandle sample)
        {
            final int valueLength = 2 * dim;
            entityKeys[0] = train.subjects[triple];
            entityKeys[1] = train.objects[triple];
            relationKey[0] = train.relations[triple];
            pairKeys[0] = entityKeys[0];
            pairKeys[1] = entityKeys[1];
            final OpHandle pair = worker.pull(entityTable, pairKeys, pairValues);
            final OpHandle relation = worker.pull(relationTable, relationKey, relationValues);
            for (int side = 0; side < 2; side++)
            {
                worker.pullSample(sample, negativeKeys, negativeValues[side]).await();
                System.arraycopy(negativeKeys, 0, entityKeys, 2 + side * negRatio, negRatio);
                System.arraycopy(negativeValues[side], 0, entityValues, (2 + side * negRatio) * valueLength,
                    negRatio * valueLength);
            }
            worker.finishSample(sample);
            pair.await();
            relation.await();
            System.arraycopy(pairValues, 0, entityValues, 0, 2 * valueLength);

            Arrays.fill(entityGradients, 0);
            Arrays.fill(relationGradient, 0);
            double loss = term(0, 1, 1.0);
            for (int i = 0; i < negRatio; i++)
            {
                loss += term(2 + i, 1, 0.0);
                loss += term(0, 2 + negRatio + i, 0.0);
            }
            for (int e = 0; e < entityKeys.length; e++)
            {
                gradients.adagrad(entityValues, e * valueLength, entityGradients, e * dim, entityUpdate,
                    e * valueLength, dim);
            }
            gradients.adagrad(relationValues, 0, relationGradient, 0, relationUpdate, 0, relationLength);
            worker.push(entityTable, entityKeys, entityUpdate);
            worker.push(relationTable, relationKey, relationUpdate);
            return loss;
        }

        /** One term on (entity {@code s}, the relation, entity {@code o}) with {@code label}; returns its loss. */
        private double term(final int s, final int o, final double label)
        {
            final int valueLength = 2 * dim;
            return gradients.term(entityValues, s * valueLength, entityGradients, s * dim, relationValues, 0,
                relationGradient, 0, entityValues, o * valueLength, entityGradients, o * dim, label);
        }
    }

    @Override
    public Map<String, Object> evaluate(final ParameterGrid grid)
    {
        final float[] entityVectors = Tables.leading(grid, entityTable, entities, dim);
        final float[] relationVectors = Tables.leading(grid, relationTable, relations, relationLength);
        final Map<String, Object> metrics = new LinkedHashMap<>();
        final Map<String, Double> validation = evaluation.evaluate(valid, entityVectors, relationVectors);
        metrics.put("valid_mrr_filtered", validation.get("mrr_filtered"));
        metrics.put("valid_hits1_filtered", validation.get("hits1_filtered"));
        metrics.put("valid_hits3_filtered", validation.get("hits3_filtered"));
        metrics.put("valid_hits10_filtered", validation.get("hits10_filtered"));
        final Map<String, Double> testing = evaluation.evaluate(test, entityVectors, relationVectors);
        metrics.put("test_mrr_filtered", testing.get("mrr_filtered"));
        metrics.put("test_hits10_filtered", testing.get("hits10_filtered"));
        return metrics;
    }
}
