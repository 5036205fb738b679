package org.intentgrid.samples.kge;

import java.util.Arrays;

/**
 * Scoring functions of knowledge graph embeddings over flat arrays: {@code score(s, r, o)} and its gradient.
 * Entity vectors have {@code dim} floats and relation vectors {@link #relationLength(int) relationLength(dim)}, at the
 * given offsets.
 */
enum KgeModel
{
    /**
     * Trouillon et al. 2016: Re(&lt;s, r, conj(o)&gt;) with the first half real and the second half imaginary parts.
     */
    COMPLEX
    {
        @Override
        double score(final float[] s, final int so, final float[] r, final int ro, final float[] o, final int oo,
            final int dim)
        {
            final int half = dim / 2;
            float sum = 0;
            for (int k = 0; k < half; k++)
            {
                final float sr = s[so + k];
                final float si = s[so + half + k];
                final float rr = r[ro + k];
                final float ri = r[ro + half + k];
                final float or = o[oo + k];
                final float oi = o[oo + half + k];
                sum += sr * rr * or + si * rr * oi + sr * ri * oi - si * ri * or;
            }
            return sum;
        }

        @Override
        void query(final boolean objectSide, final float[] e, final int eo, final float[] r, final int ro,
            final int dim, final double[] query)
        {
            final int half = dim / 2;
            for (int k = 0; k < half; k++)
            {
                final double er = e[eo + k];
                final double ei = e[eo + half + k];
                final double rr = r[ro + k];
                final double ri = r[ro + half + k];
                query[k] = objectSide ? er * rr - ei * ri : rr * er + ri * ei;
                query[half + k] = objectSide ? ei * rr + er * ri : rr * ei - ri * er;
            }
        }

        @Override
        void addGradient(
            final float coefficient, final float[] s, final int so, final float[] r, final int ro, final float[] o,
            final int oo, final float[] gs, final int gso, final float[] gr, final int gro, final float[] go,
            final int goo, final int dim)
        {
            final int half = dim / 2;
            for (int k = 0; k < half; k++)
            {
                final float sr = s[so + k];
                final float si = s[so + half + k];
                final float rr = r[ro + k];
                final float ri = r[ro + half + k];
                final float or = o[oo + k];
                final float oi = o[oo + half + k];
                gs[gso + k] += coefficient * (rr * or + ri * oi);
                gs[gso + half + k] += coefficient * (rr * oi - ri * or);
                gr[gro + k] += coefficient * (sr * or + si * oi);
                gr[gro + half + k] += coefficient * (sr * oi - si * or);
                go[goo + k] += coefficient * (sr * rr - si * ri);
                go[goo + half + k] += coefficient * (si * rr + sr * ri);
            }
        }
    },

    /** Yang et al. 2015: the trilinear product &lt;s, r, o&gt; (symmetric relations only). */
    DISTMULT
    {
        @Override
        double score(final float[] s, final int so, final float[] r, final int ro, final float[] o, final int oo,
            final int dim)
        {
            float sum = 0;
            for (int k = 0; k < dim; k++)
            {
                sum += s[so + k] * r[ro + k] * o[oo + k];
            }
            return sum;
        }

        @Override
        void query(final boolean objectSide, final float[] e, final int eo, final float[] r, final int ro,
            final int dim, final double[] query)
        {
            for (int k = 0; k < dim; k++)
            {
                query[k] = (double)e[eo + k] * r[ro + k];
            }
        }

        @Override
        void addGradient(
            final float coefficient, final float[] s, final int so, final float[] r, final int ro, final float[] o,
            final int oo, final float[] gs, final int gso, final float[] gr, final int gro, final float[] go,
            final int goo, final int dim)
        {
            for (int k = 0; k < dim; k++)
            {
                final float sk = s[so + k];
                final float rk = r[ro + k];
                final float ok = o[oo + k];
                gs[gso + k] += coefficient * rk * ok;
                gr[gro + k] += coefficient * sk * ok;
                go[goo + k] += coefficient * sk * rk;
            }
        }
    },

    /**
     * Nickel et al. 2011: the bilinear form {@code s^T R o} with a full {@code dim x dim} matrix {@code R} per
     * relation, stored row by row (asymmetric relations, at {@code dim} times the relation parameters of the others).
     */
    RESCAL
    {
        @Override
        int relationLength(final int dim)
        {
            return dim * dim;
        }

        @Override
        double score(final float[] s, final int so, final float[] r, final int ro, final float[] o, final int oo,
            final int dim)
        {
            float sum = 0;
            for (int i = 0; i < dim; i++)
            {
                final int row = ro + i * dim;
                float rowTimesObject = 0;
                for (int j = 0; j < dim; j++)
                {
                    rowTimesObject += r[row + j] * o[oo + j];
                }
                sum += s[so + i] * rowTimesObject;
            }
            return sum;
        }

        @Override
        void query(final boolean objectSide, final float[] e, final int eo, final float[] r, final int ro,
            final int dim, final double[] query)
        {
            if (objectSide)
            {
                // score(e, r, x) = sum over j of (e^T R)_j x_j: the rows of R, weighted by e
                Arrays.fill(query, 0, dim, 0);
                for (int i = 0; i < dim; i++)
                {
                    final int row = ro + i * dim;
                    final double ei = e[eo + i];
                    for (int j = 0; j < dim; j++)
                    {
                        query[j] += ei * r[row + j];
                    }
                }
                return;
            }
            // score(x, r, e) = sum over i of x_i (R e)_i
            for (int i = 0; i < dim; i++)
            {
                final int row = ro + i * dim;
                double rowTimesEntity = 0;
                for (int j = 0; j < dim; j++)
                {
                    rowTimesEntity += (double)r[row + j] * e[eo + j];
                }
                query[i] = rowTimesEntity;
            }
        }

        @Override
        void addGradient(
            final float coefficient, final float[] s, final int so, final float[] r, final int ro, final float[] o,
            final int oo, final float[] gs, final int gso, final float[] gr, final int gro, final float[] go,
            final int goo, final int dim)
        {
            for (int i = 0; i < dim; i++)
            {
                final int row = ro + i * dim;
                final int gradientRow = gro + i * dim;
                final float weighted = coefficient * s[so + i];
                float rowTimesObject = 0;
                for (int j = 0; j < dim; j++)
                {
                    final float rij = r[row + j];
                    rowTimesObject += rij * o[oo + j];
                    gr[gradientRow + j] += weighted * o[oo + j];
                    go[goo + j] += weighted * rij;
                }
                gs[gso + i] += coefficient * rowTimesObject;
            }
        }
    };

    /** @return floats per relation vector for entity vectors of {@code dim} floats */
    int relationLength(final int dim)
    {
        return dim;
    }

    abstract double score(float[] s, int so, float[] r, int ro, float[] o, int oo, int dim);

    /**
     * The score as a linear function of one entity: fills {@code query} ({@code dim} values) so that
     * {@code score(e, r, x)} ({@code objectSide}: {@code e} is the subject, {@code x} the object ranked) or
     * {@code score(x, r, e)} (otherwise) equals {@link #dot}{@code (query, x)} up to rounding. Ranking every entity
     * then costs one dot product each.
     */
    abstract void query(boolean objectSide, float[] e, int eo, float[] r, int ro, int dim, double[] query);

    /**
     * @return the score of entity {@code x} for a {@link #query}, summed in four independent chains: one chain waits
     *         for each addition's result, four keep the adder busy (evaluation ranks every entity with this, and
     *         took longer than the epoch it evaluated)
     */
    static double dot(final double[] query, final float[] x, final int xo, final int dim)
    {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < dim; k += 4)
        {
            s0 += query[k] * x[xo + k];
            s1 += query[k + 1] * x[xo + k + 1];
            s2 += query[k + 2] * x[xo + k + 2];
            s3 += query[k + 3] * x[xo + k + 3];
        }
        for (; k < dim; k++)
        {
            s0 += query[k] * x[xo + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Adds {@code coefficient * d score / d x} to the gradient of each of s, r and o. In floats, as the values are:
     * C2 vectorizes these loops only without float-double conversions.
     */
    abstract void addGradient(
        float coefficient, float[] s, int so, float[] r, int ro, float[] o, int oo, float[] gs, int gso, float[] gr,
        int gro, float[] go, int goo, int dim);

    static KgeModel parse(final String text)
    {
        for (final KgeModel model : values())
        {
            if (model.name().equalsIgnoreCase(text))
            {
                return model;
            }
        }
        throw new IllegalArgumentException("unknown model '" + text + "'; expected complex, distmult or rescal");
    }
}
