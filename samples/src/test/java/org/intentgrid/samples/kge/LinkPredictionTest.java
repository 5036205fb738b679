package org.intentgrid.samples.kge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Filtered link prediction ranks each entity by one dot product with a query vector and on all cores: the
 * metrics must equal a ranking by the model's own score function, entity by entity, on one thread.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinkPredictionTest
{
    private static final int ENTITIES = 300;
    private static final int RELATIONS = 7;
    private static final int DIM = 16;

    @Test
    void theQueryVectorScoresEveryEntityAsTheModelDoes()
    {
        final SplittableRandom random = new SplittableRandom(3);
        final float[] e = vectors(random, 3);
        final double[] query = new double[DIM];
        for (final KgeModel model : KgeModel.values())
        {
            final float[] r = vectors(random, model.relationLength(DIM) / DIM);
            // the score sums in floats (as training does), the query's dot product in doubles: equal up to float
            // rounding, relative to the score's size
            model.query(true, e, 0, r, 0, DIM, query);
            final double objectSide = model.score(e, 0, r, 0, e, DIM, DIM);
            assertEquals(objectSide, KgeModel.dot(query, e, DIM, DIM), 1e-6 * Math.max(1, Math.abs(objectSide)),
                model + ", object side");
            model.query(false, e, 2 * DIM, r, 0, DIM, query);
            final double subjectSide = model.score(e, DIM, r, 0, e, 2 * DIM, DIM);
            assertEquals(subjectSide, KgeModel.dot(query, e, DIM, DIM), 1e-6 * Math.max(1, Math.abs(subjectSide)),
                model + ", subject side");
        }
    }

    @Test
    void metricsEqualARankingByTheScoreFunction()
    {
        final SplittableRandom random = new SplittableRandom(11);
        final Triples train = triples(random, 2_000);
        final Triples valid = triples(random, 500);
        final float[] entityVectors = vectors(random, ENTITIES);
        for (final KgeModel model : KgeModel.values())
        {
            final float[] relationVectors = vectors(random, RELATIONS * model.relationLength(DIM) / DIM);
            final Map<String, Double> ranked = new LinkPrediction(model, DIM, ENTITIES, RELATIONS, train, valid)
                .evaluate(valid, entityVectors, relationVectors);
            final double[] expected = naive(model, valid, entityVectors, relationVectors, train, valid);
            assertEquals(expected[0], ranked.get("mrr_filtered"), 1e-12, model + " mrr");
            assertEquals(expected[1], ranked.get("hits1_filtered"), 1e-12, model + " hits@1");
            assertEquals(expected[2], ranked.get("hits3_filtered"), 1e-12, model + " hits@3");
            assertEquals(expected[3], ranked.get("hits10_filtered"), 1e-12, model + " hits@10");
        }
    }

    @Test
    void aCollapsedModelRanksTheTruthInTheMiddleOfItsTies()
    {
        final Triples one = new Triples(new int[] {4}, new int[] {2}, new int[] {9});
        final float[] entityVectors = new float[ENTITIES * DIM];
        Arrays.fill(entityVectors, 0.5f);
        final float[] relationVectors = new float[RELATIONS * DIM];
        Arrays.fill(relationVectors, 0.25f);
        final Map<String, Double> ranked = new LinkPrediction(KgeModel.COMPLEX, DIM, ENTITIES, RELATIONS, one)
            .evaluate(one, entityVectors, relationVectors);
        // every other entity ties with the truth on both sides: rank 1 + (ENTITIES - 1) / 2
        assertEquals(1.0 / (1 + (ENTITIES - 1) / 2.0), ranked.get("mrr_filtered"), 1e-12);
        assertEquals(0.0, ranked.get("hits10_filtered"));
    }

    /** The definition: the model's score of each candidate triple, one at a time, known triples left out. */
    private static double[] naive(final KgeModel model, final Triples ranked, final float[] entityVectors,
        final float[] relationVectors, final Triples... all)
    {
        final Set<List<Integer>> known = asSet(all);
        final int relationLength = model.relationLength(DIM);
        final double[] sums = new double[4];
        for (int i = 0; i < ranked.size(); i++)
        {
            final int s = ranked.subjects[i];
            final int r = ranked.relations[i];
            final int o = ranked.objects[i];
            for (int side = 0; side < 2; side++)
            {
                final double truth = model.score(entityVectors, s * DIM, relationVectors, r * relationLength,
                    entityVectors, o * DIM, DIM);
                int greater = 0;
                int ties = 0;
                for (int e = 0; e < ENTITIES; e++)
                {
                    final int cs = side == 0 ? s : e;
                    final int co = side == 0 ? e : o;
                    if ((side == 0 ? e == o : e == s) || isKnown(cs, r, co, known))
                    {
                        continue;
                    }
                    final double score = model.score(entityVectors, cs * DIM, relationVectors, r * relationLength,
                        entityVectors, co * DIM, DIM);
                    greater += score > truth ? 1 : 0;
                    ties += score == truth ? 1 : 0;
                }
                final double rank = 1 + greater + ties / 2.0;
                sums[0] += 1 / rank;
                sums[1] += rank <= 1 ? 1 : 0;
                sums[2] += rank <= 3 ? 1 : 0;
                sums[3] += rank <= 10 ? 1 : 0;
            }
        }
        for (int m = 0; m < sums.length; m++)
        {
            sums[m] /= 2.0 * ranked.size();
        }
        return sums;
    }

    private static boolean isKnown(final int s, final int r, final int o, final Set<List<Integer>> known)
    {
        return known.contains(List.of(s, r, o));
    }

    private static Set<List<Integer>> asSet(final Triples... all)
    {
        final Set<List<Integer>> set = new HashSet<>();
        for (final Triples triples : all)
        {
            for (int i = 0; i < triples.size(); i++)
            {
                set.add(List.of(triples.subjects[i], triples.relations[i], triples.objects[i]));
            }
        }
        return set;
    }

    private static Triples triples(final SplittableRandom random, final int n)
    {
        final int[] s = new int[n];
        final int[] r = new int[n];
        final int[] o = new int[n];
        for (int i = 0; i < n; i++)
        {
            s[i] = random.nextInt(ENTITIES);
            r[i] = random.nextInt(RELATIONS);
            o[i] = random.nextInt(ENTITIES);
        }
        return new Triples(s, r, o);
    }

    private static float[] vectors(final SplittableRandom random, final int count)
    {
        final float[] v = new float[count * DIM];
        for (int i = 0; i < v.length; i++)
        {
            v[i] = (float)random.nextGaussian();
        }
        return v;
    }
}
