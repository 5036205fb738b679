package org.intentgrid.samples.kge;

import org.intentgrid.jet.StepBatch;
import org.intentgrid.jet.TrainingStep;

/**
 * The kge app's model as a streaming step: binary cross-entropy on each triple and on its {@code 2 x negRatio}
 * corruptions (the first {@code negRatio} negatives replace the subject, the others the object), L2 regularization,
 * AdaGrad. Values hold the embedding followed by its AdaGrad sums, as in the batch app: table 0 is the entities
 * (subject, object), table 1 the relations, negative sample 0 the corrupting entities. Gradients take half of a
 * key's value offset ({@code dim} floats per entity, {@link KgeModel#relationLength} per relation).
 */
final class KgeStreamStep implements TrainingStep<StreamTriple>
{
    private static final long serialVersionUID = 1L;

    private final KgeGradients gradients;
    private final int dim;
    private final int negRatio;

    KgeStreamStep(final KgeModel model, final int dim, final int negRatio, final double learningRate,
        final double regularization)
    {
        this.gradients = new KgeGradients(model, dim, learningRate, regularization);
        this.dim = dim;
        this.negRatio = negRatio;
    }

    @Override
    public double train(final StepBatch<StreamTriple> batch)
    {
        final float[] entities = batch.values(0);
        final float[] relations = batch.values(1);
        final float[] negatives = batch.negativeValues(0);
        final float[] entityGradients = new float[entities.length / 2];
        final float[] relationGradients = new float[relations.length / 2];
        final float[] negativeGradients = new float[negatives.length / 2];
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
        adagrad(entities, entityGradients, batch.updates(0), dim);
        adagrad(relations, relationGradients, batch.updates(1), gradients.relationLength());
        adagrad(negatives, negativeGradients, batch.negativeUpdates(0), dim);
        return loss;
    }

    private double term(
        final float[] subjects, final int s, final float[] subjectGradients, final float[] relations, final int r,
        final float[] relationGradients, final float[] objects, final int o, final float[] objectGradients,
        final double label)
    {
        return gradients.term(subjects, s, subjectGradients, s / 2, relations, r, relationGradients, r / 2, objects, o,
            objectGradients, o / 2, label);
    }

    private void adagrad(final float[] values, final float[] keyGradients, final float[] updates, final int length)
    {
        for (int key = 0; key < keyGradients.length / length; key++)
        {
            gradients.adagrad(values, key * 2 * length, keyGradients, key * length, updates, key * 2 * length, length);
        }
    }
}
