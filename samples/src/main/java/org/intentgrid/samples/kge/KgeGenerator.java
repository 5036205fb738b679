package org.intentgrid.samples.kge;

import org.agrona.collections.LongHashSet;
import org.intentgrid.samples.train.Shuffle;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A synthetic knowledge graph with learnable structure: entities fall into clusters of {@code clusterSize};
 * every relation maps each cluster to one target cluster (a random permutation per relation) and links a
 * subject to random members of its target cluster. A model that learns the clusters and the maps ranks the
 * target cluster first; held-out triples come from the same process.
 */
final class KgeGenerator
{
    final Triples train;
    final Triples valid;
    final Triples test;
    final int entities;
    final int relations;

    KgeGenerator(final int entities, final int relations, final int clusterSize, final int triplesPerEntity,
        final long seed)
    {
        this.entities = entities;
        this.relations = relations;
        final SplittableRandom random = new SplittableRandom(seed);
        final int clusters = entities / clusterSize;
        final int[][] targetCluster = new int[relations][clusters];
        for (int r = 0; r < relations; r++)
        {
            for (int c = 0; c < clusters; c++)
            {
                targetCluster[r][c] = c;
            }
            Shuffle.ints(targetCluster[r], random);
        }
        final int total = entities * triplesPerEntity;
        final int[] s = new int[total];
        final int[] rel = new int[total];
        final int[] o = new int[total];
        final LongHashSet seen = new LongHashSet();
        int n = 0;
        while (n < total)
        {
            final int subject = random.nextInt(clusters * clusterSize);
            final int relation = random.nextInt(relations);
            final int cluster = subject / clusterSize;
            final int object = targetCluster[relation][cluster] * clusterSize + random.nextInt(clusterSize);
            if (seen.add(((long)subject * relations + relation) * entities + object))
            {
                s[n] = subject;
                rel[n] = relation;
                o[n] = object;
                n++;
            }
        }
        final int held = Math.max(1, total / 20);
        train = slice(s, rel, o, 0, total - 2 * held);
        valid = slice(s, rel, o, total - 2 * held, total - held);
        test = slice(s, rel, o, total - held, total);
    }

    private static Triples slice(final int[] s, final int[] r, final int[] o, final int from, final int to)
    {
        return new Triples(Arrays.copyOfRange(s, from, to), Arrays.copyOfRange(r, from, to),
            Arrays.copyOfRange(o, from, to));
    }
}
