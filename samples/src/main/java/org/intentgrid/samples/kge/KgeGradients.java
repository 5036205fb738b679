package org.intentgrid.samples.kge;

import java.io.Serializable;

/**
 * The training arithmetic of knowledge graph embeddings, shared by the batch app and the streaming step: the
 * gradient of one binary cross-entropy term with L2 regularization, and the AdaGrad update of one key. Values hold a
 * key's embedding followed by its AdaGrad sums ({@code 2 x length} floats, where the length is {@code dim} for an
 * entity and {@link KgeModel#relationLength} for a relation); gradients hold {@code length} floats per key.
 * All in floats, as the values are stored and as the reference computes: the loops vectorize only without
 * float-double conversions.
 */
final class KgeGradients implements Serializable
{
    private static final long serialVersionUID = 1L;
    private static final float ADAGRAD_EPSILON = 1e-10f;

    private final KgeModel model;
    private final int dim;
    private final int relationLength;
    private final float learningRate;
    private final float regularization;

    KgeGradients(final KgeModel model, final int dim, final double learningRate, final double regularization)
    {
        this.model = model;
        this.dim = dim;
        this.relationLength = model.relationLength(dim);
        this.learningRate = (float)learningRate;
        this.regularization = (float)regularization;
    }

    /**
     * Adds the gradient of one binary cross-entropy term on (subject, relation, object) with {@code label}, plus L2
     * terms, to the three gradients.
     *
     * @return the term's loss
     */
    double term(
        final float[] subjects, final int s, final float[] subjectGradients, final int sg,
        final float[] relations, final int r, final float[] relationGradients, final int rg,
        final float[] objects, final int o, final float[] objectGradients, final int og, final double label)
    {
        final double x = model.score(subjects, s, relations, r, objects, o, dim);
        final double p = 1.0 / (1.0 + Math.exp(-x));
        model.addGradient((float)(p - label), subjects, s, relations, r, objects, o, subjectGradients, sg,
            relationGradients, rg, objectGradients, og, dim);
        if (regularization > 0)
        {
            for (int k = 0; k < dim; k++)
            {
                subjectGradients[sg + k] += regularization * subjects[s + k];
                objectGradients[og + k] += regularization * objects[o + k];
            }
            for (int k = 0; k < relationLength; k++)
            {
                relationGradients[rg + k] += regularization * relations[r + k];
            }
        }
        final double probability = label > 0.5 ? p : 1 - p;
        return -Math.log(Math.max(probability, 1e-12));
    }

    /** @return floats per relation vector (and per relation gradient) */
    int relationLength()
    {
        return relationLength;
    }

    /**
     * AdaGrad for one key of {@code length} floats ({@code dim} for an entity, {@link #relationLength()} for a
     * relation): the step {@code -lr g / sqrt(sum + g^2)} and the squared gradient, as one update.
     */
    void adagrad(
        final float[] values, final int valueOffset, final float[] gradient, final int gradientOffset,
        final float[] update, final int updateOffset, final int length)
    {
        for (int k = 0; k < length; k++)
        {
            final float g = gradient[gradientOffset + k];
            final float sum = values[valueOffset + length + k] + g * g;
            update[updateOffset + k] = -learningRate * g / (float)Math.sqrt(sum + ADAGRAD_EPSILON);
            update[updateOffset + length + k] = g * g;
        }
    }
}
