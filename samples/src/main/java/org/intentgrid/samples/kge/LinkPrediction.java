package org.intentgrid.samples.kge;

import org.agrona.collections.LongHashSet;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Filtered link prediction: each triple is ranked against every entity as object and as subject; other
 * triples known to be true (train, valid and test) are left out of the ranking, and ties count half (the mean
 * rank among equal scores, so that a collapsed model does not rank everything first).
 */
final class LinkPrediction
{
    private final KgeModel model;
    private final int dim;
    private final int entities;
    private final int relations;
    private final LongHashSet known = new LongHashSet();

    LinkPrediction(final KgeModel model, final int dim, final int entities, final int relations, final Triples... all)
    {
        this.model = model;
        this.dim = dim;
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
     * @param entityVectors   {@code entities x dim} floats
     * @param relationVectors {@code relations x dim} floats
     * @return {@code mrr_filtered}, {@code hits1_filtered}, {@code hits3_filtered}, {@code hits10_filtered}
     */
    Map<String, Double> evaluate(final Triples triples, final float[] entityVectors, final float[] relationVectors)
    {
        double reciprocal = 0;
        long hits1 = 0;
        long hits3 = 0;
        long hits10 = 0;
        for (int i = 0; i < triples.size(); i++)
        {
            final int s = triples.subjects[i];
            final int r = triples.relations[i];
            final int o = triples.objects[i];
            for (int side = 0; side < 2; side++)
            {
                final boolean objectSide = side == 0;
                final double truth = model.score(entityVectors, s * dim, relationVectors, r * dim, entityVectors,
                    o * dim, dim);
                int greater = 0;
                int ties = 0;
                for (int e = 0; e < entities; e++)
                {
                    if (objectSide ? e == o || known.contains(code(s, r, e)) : e == s || known.contains(code(e, r, o)))
                    {
                        continue;
                    }
                    final double score = objectSide ?
                        model.score(entityVectors, s * dim, relationVectors, r * dim, entityVectors, e * dim, dim) :
                        model.score(entityVectors, e * dim, relationVectors, r * dim, entityVectors, o * dim, dim);
                    if (score > truth)
                    {
                        greater++;
                    }
                    else if (score == truth)
                    {
                        ties++;
                    }
                }
                final double rank = 1 + greater + ties / 2.0;
                reciprocal += 1.0 / rank;
                hits1 += rank <= 1 ? 1 : 0;
                hits3 += rank <= 3 ? 1 : 0;
                hits10 += rank <= 10 ? 1 : 0;
            }
        }
        final double n = 2.0 * triples.size();
        final Map<String, Double> result = new LinkedHashMap<>();
        result.put("mrr_filtered", reciprocal / n);
        result.put("hits1_filtered", hits1 / n);
        result.put("hits3_filtered", hits3 / n);
        result.put("hits10_filtered", hits10 / n);
        return result;
    }
}
