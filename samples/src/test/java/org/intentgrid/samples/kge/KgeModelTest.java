package org.intentgrid.samples.kge;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each model's gradient is the derivative of its score: every score is linear in each single parameter, so a central
 * difference is exact up to rounding and must match {@link KgeModel#addGradient} parameter by parameter.
 */
class KgeModelTest
{
    private static final int DIM = 8;
    private static final float STEP = 0.01f;

    @Test
    void theGradientIsTheDerivativeOfTheScore()
    {
        final SplittableRandom random = new SplittableRandom(17);
        for (final KgeModel model : KgeModel.values())
        {
            final int relationLength = model.relationLength(DIM);
            // the subject and object sit behind other values, as in the apps' buffers: offsets are honoured
            final float[] s = vector(random, DIM + 3);
            final float[] r = vector(random, relationLength + 5);
            final float[] o = vector(random, DIM + 1);
            final float coefficient = 0.75f;
            final float[] gs = new float[DIM + 2];
            final float[] gr = new float[relationLength + 4];
            final float[] go = new float[DIM];
            model.addGradient(coefficient, s, 3, r, 5, o, 1, gs, 2, gr, 4, go, 0, DIM);
            for (int k = 0; k < DIM; k++)
            {
                assertEquals(coefficient * derivative(model, s, 3 + k, s, r, o), gs[2 + k], 1e-3,
                    model + " subject " + k);
                assertEquals(coefficient * derivative(model, o, 1 + k, s, r, o), go[k], 1e-3, model + " object " + k);
            }
            for (int k = 0; k < relationLength; k++)
            {
                assertEquals(coefficient * derivative(model, r, 5 + k, s, r, o), gr[4 + k], 1e-3,
                    model + " relation " + k);
            }
            assertEquals(0, gs[0] + gs[1] + gr[0] + gr[1] + gr[2] + gr[3], model + " writes nothing before offsets");
        }
    }

    @Test
    void rescalKeepsAMatrixPerRelationAndTheOthersAVector()
    {
        assertEquals(DIM, KgeModel.COMPLEX.relationLength(DIM));
        assertEquals(DIM, KgeModel.DISTMULT.relationLength(DIM));
        assertEquals(DIM * DIM, KgeModel.RESCAL.relationLength(DIM));
        // an asymmetric model scores (s, r, o) and (o, r, s) differently; DistMult cannot
        final SplittableRandom random = new SplittableRandom(5);
        final float[] a = vector(random, DIM);
        final float[] b = vector(random, DIM);
        final float[] r = vector(random, DIM * DIM);
        final double forward = KgeModel.RESCAL.score(a, 0, r, 0, b, 0, DIM);
        final double backward = KgeModel.RESCAL.score(b, 0, r, 0, a, 0, DIM);
        assertTrue(Math.abs(forward - backward) > 1e-3, "RESCAL tells the direction of a relation");
        assertEquals(KgeModel.DISTMULT.score(a, 0, r, 0, b, 0, DIM), KgeModel.DISTMULT.score(b, 0, r, 0, a, 0, DIM),
            1e-5);
    }

    @Test
    void anUnknownModelNamesTheChoices()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KgeModel.parse("transe"));
        assertTrue(e.getMessage().contains("'transe'") && e.getMessage().contains("complex, distmult or rescal"),
            e.getMessage());
        assertEquals(KgeModel.RESCAL, KgeModel.parse("RESCAL"));
    }

    /** @return the central difference of the score in {@code values[index]}, which is one of s, r and o */
    private static double derivative(final KgeModel model, final float[] values, final int index, final float[] s,
        final float[] r, final float[] o)
    {
        final float kept = values[index];
        values[index] = kept + STEP;
        final double up = model.score(s, 3, r, 5, o, 1, DIM);
        values[index] = kept - STEP;
        final double down = model.score(s, 3, r, 5, o, 1, DIM);
        values[index] = kept;
        return (up - down) / (2 * STEP);
    }

    private static float[] vector(final SplittableRandom random, final int length)
    {
        final float[] v = new float[length];
        for (int i = 0; i < length; i++)
        {
            v[i] = (float)random.nextGaussian();
        }
        return v;
    }
}
