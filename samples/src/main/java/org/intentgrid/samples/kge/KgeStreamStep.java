package org.intentgrid.samples.kge;

import org.intentgrid.jet.StepBatch;
import org.intentgrid.jet.TrainingStep;

/**
 * The kge app's model as a streaming step: binary cross-entropy on each triple and on its {@code 2 x negRatio}
 * corruptions (the first {@code negRatio} negatives replace the subject, the others the object), L2 regularization,
 * AdaGrad. Values hold the embedding followed by its AdaGrad sums, as in the batch app: table 0 is the entities
 * (subject, object), table 1 the relations, negative sample 0 the corrupting entities.
 */
final class KgeStreamStep implements TrainingStep<StreamTriple>
{
    private static final long serialVersionUID = 1L;
    private static final double ADAGRAD_EPSILON = 1e-10;

    private final KgeModel model;
    private final int dim;
    private final int negRatio;
    private final double learningRate;
    private final double regularization;

    KgeStreamStep(final KgeModel model, final int dim, final int negRatio, final double learningRate,
        final double regularization)
    {
        this.model = model;
        this.dim = dim;
        this.negRatio = negRatio;
        this.learningRate = learningRate;
        this.regularization = regularization;
    }

    @Override
    public double train(final StepBatch<StreamTriple> batch)
    {
        final float[] entities = batch.values(0);
        final float[] relations = batch.values(1);
        final float[] negatives = batch.negativeValues(0);
        final double[] entityGradients = new double[entities.length / 2];
        final double[] relationGradients = new double[relations.length / 2];
        final double[] negativeGradients = new double[negatives.length / 2];
        double loss = 0;
        for (int i = 0; i < batch.size(); i++)
        {
            final int s = batch.offset(0, i, 0);
            final int o = batch.offset(0, i, 1);
            final int r = batch.offset(1, i, 0);
            loss += term(entities, s, entityGradients, relations, r, relationGradients, entities, o, entityGradients,
                1.0);
            for (int k = 0; k < negRatio; k++)
            {
                final int corruptSubject = batch.negativeOffset(0, i, k);
                final int corruptObject = batch.negativeOffset(0, i, negRatio + k);
                loss += term(negatives, corruptSubject, negativeGradients, relations, r, relationGradients, entities,
                    o, entityGradients, 0.0);
                loss += term(entities, s, entityGradients, relations, r, relationGradients, negatives, corruptObject,
                    negativeGradients, 0.0);
            }
        }
        adagrad(entities, entityGradients, batch.updates(0));
        adagrad(relations, relationGradients, batch.updates(1));
        adagrad(negatives, negativeGradients, batch.negativeUpdates(0));
        return loss;
    }

    /**
     * Adds the gradient of one binary cross-entropy term on (subject, relation, object) plus L2 terms; offsets are
     * into values ({@code 2 x dim} floats per key), gradients take half of them.
     */
    private double term(
        final float[] subjects, final int s, final double[] subjectGradients, final float[] relations, final int r,
        final double[] relationGradients, final float[] objects, final int o, final double[] objectGradients,
        final double label)
    {
        final double x = model.score(subjects, s, relations, r, objects, o, dim);
        final double p = 1.0 / (1.0 + Math.exp(-x));
        model.addGradient(p - label, subjects, s, relations, r, objects, o, subjectGradients, s / 2,
            relationGradients, r / 2, objectGradients, o / 2, dim);
        if (regularization > 0)
        {
            for (int k = 0; k < dim; k++)
            {
                subjectGradients[s / 2 + k] += regularization * subjects[s + k];
                objectGradients[o / 2 + k] += regularization * objects[o + k];
                relationGradients[r / 2 + k] += regularization * relations[r + k];
            }
        }
        final double probability = label > 0.5 ? p : 1 - p;
        return -Math.log(Math.max(probability, 1e-12));
    }

    /** AdaGrad per key: the step {@code -lr g / sqrt(sum + g^2)} and the squared gradient, as one update. */
    private void adagrad(final float[] values, final double[] gradients, final float[] updates)
    {
        for (int key = 0; key < gradients.length / dim; key++)
        {
            final int v = key * 2 * dim;
            final int g = key * dim;
            for (int k = 0; k < dim; k++)
            {
                final double gradient = gradients[g + k];
                final double sum = values[v + dim + k] + gradient * gradient;
                updates[v + k] = (float)(-learningRate * gradient / Math.sqrt(sum + ADAGRAD_EPSILON));
                updates[v + dim + k] = (float)(gradient * gradient);
            }
        }
    }
}
