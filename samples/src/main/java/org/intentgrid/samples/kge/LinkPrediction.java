package org.intentgrid.samples.kge;

import org.agrona.collections.LongHashSet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Filtered link prediction: each triple is ranked against every entity as object and as subject; other
 * triples known to be true (train, valid and test) are left out of the ranking, and ties count half (the mean
 * rank among equal scores, so that a collapsed model does not rank everything first).
 */
final class LinkPrediction
{
    /** Triples per unit of parallel work: a few milliseconds of ranking at a few thousand entities. */
    private static final int CHUNK = 64;

    private final KgeModel model;
    private final int dim;
    private final int relationLength;
    private final int entities;
    private final int relations;
    private final LongHashSet known = new LongHashSet();

    LinkPrediction(final KgeModel model, final int dim, final int entities, final int relations, final Triples... all)
    {
        this.model = model;
        this.dim = dim;
        this.relationLength = model.relationLength(dim);
        this.entities = entities;
        this.relations = relations;
        for (final Triples triples : all)
        {
            for (int i = 0; i < triples.size(); i++)
            {
                known.add(code(triples.subjects[i], triples.relations[i], triples.objects[i]));
            }
        }
    }

    private long code(final int s, final int r, final int o)
    {
        return ((long)s * relations + r) * entities + o;
    }

    /**
     * Ranks the triples on all cores: they are cut into fixed chunks whose sums are added in chunk order, so the
     * result does not depend on the threads. Each side of a triple costs one dot product per entity
     * ({@link KgeModel#query}).
     *
     * @param entityVectors   {@code entities x dim} floats
     * @param relationVectors {@code relations x relationLength} floats ({@link KgeModel#relationLength})
     * @return {@code mrr_filtered}, {@code hits1_filtered}, {@code hits3_filtered}, {@code hits10_filtered}
     */
    Map<String, Double> evaluate(final Triples triples, final float[] entityVectors, final float[] relationVectors)
    {
        final int chunks = (triples.size() + CHUNK - 1) / CHUNK;
        final double[][] parts = IntStream.range(0, chunks).parallel()
            .mapToObj(c -> rank(triples, c * CHUNK, Math.min(triples.size(), (c + 1) * CHUNK), entityVectors,
                relationVectors))
            .toArray(double[][]::new);
        final double[] total = new double[4];
        for (final double[] part : parts)
        {
            for (int m = 0; m < total.length; m++)
            {
                total[m] += part[m];
            }
        }
        final double n = 2.0 * triples.size();
        final Map<String, Double> result = new LinkedHashMap<>();
        result.put("mrr_filtered", total[0] / n);
        result.put("hits1_filtered", total[1] / n);
        result.put("hits3_filtered", total[2] / n);
        result.put("hits10_filtered", total[3] / n);
        return result;
    }

    /** @return the sums of reciprocal ranks, hits at 1, 3 and 10 over both sides of triples {@code [from, to)} */
    private double[] rank(
        final Triples triples, final int from, final int to, final float[] entityVectors, final float[] relationVectors)
    {
        final double[] query = new double[dim];
        final double[] sums = new double[4];
        for (int i = from; i < to; i++)
        {
            final int s = triples.subjects[i];
            final int r = triples.relations[i];
            final int o = triples.objects[i];
            for (int side = 0; side < 2; side++)
            {
                final boolean objectSide = side == 0;
                final int truthEntity = objectSide ? o : s;
                model.query(objectSide, entityVectors, (objectSide ? s : o) * dim, relationVectors,
                    r * relationLength, dim, query);
                final double truth = KgeModel.dot(query, entityVectors, truthEntity * dim, dim);
                int greater = 0;
                int ties = 0;
                for (int e = 0; e < entities; e++)
                {
                    // only an entity scored at least as high as the truth can change the rank: only then is it
                    // worth the look-up of whether it is a known true triple, which the filtered ranking skips (a
                    // NaN score counts as neither higher nor equal)
                    final double score = KgeModel.dot(query, entityVectors, e * dim, dim);
                    if (!(score >= truth) || e == truthEntity ||
                        known.contains(objectSide ? code(s, r, e) : code(e, r, o)))
                    {
                        continue;
                    }
                    if (score > truth)
                    {
                        greater++;
                    }
                    else
                    {
                        ties++;
                    }
                }
                final double rank = 1 + greater + ties / 2.0;
                sums[0] += 1.0 / rank;
                sums[1] += rank <= 1 ? 1 : 0;
                sums[2] += rank <= 3 ? 1 : 0;
                sums[3] += rank <= 10 ? 1 : 0;
            }
        }
        return sums;
    }
}
