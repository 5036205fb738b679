package org.intentgrid;

import java.util.Objects;

/**
 * How one table is sampled: the key distribution, the scheme and its options. Immutable; every setter
 * returns a copy. Enable it with {@link ParameterGrid#enableSampling} (all local members) or
 * {@link GridMember#enableSampling} (one member, for example a drop-in member).
 * <pre>{@code
 * grid.enableSampling(entities, Sampling.of(KeyDistribution.uniform(0, entities.size()))
 *     .scheme(SamplingScheme.POOL).reuse(4));
 * }</pre>
 */
public final class Sampling
{
    private KeyDistribution distribution;
    private SamplingScheme scheme;
    private boolean withReplacement;
    private int poolSize;
    private int reuse;
    private int localChecks;
    private boolean localScan;
    private long seed;

    private Sampling()
    {
    }

    /**
     * @param distribution where keys are drawn from; its range must lie inside the table's keys
     * @return sampling with replacement, the grid's default scheme ({@link GridConfig#samplingScheme()}), a pool of
     *         250 keys used once, 100 local checks and seed 0
     */
    public static Sampling of(final KeyDistribution distribution)
    {
        final Sampling s = new Sampling();
        s.distribution = Objects.requireNonNull(distribution, "distribution");
        s.withReplacement = true;
        s.poolSize = 250;
        s.reuse = 1;
        s.localChecks = 100;
        return s;
    }

    private Sampling copy()
    {
        final Sampling s = new Sampling();
        s.distribution = distribution;
        s.scheme = scheme;
        s.withReplacement = withReplacement;
        s.poolSize = poolSize;
        s.reuse = reuse;
        s.localChecks = localChecks;
        s.localScan = localScan;
        s.seed = seed;
        return s;
    }

    /** @param scheme the scheme of this table, overriding the grid's default */
    public Sampling scheme(final SamplingScheme scheme)
    {
        final Sampling s = copy();
        s.scheme = Objects.requireNonNull(scheme, "scheme");
        return s;
    }

    /** @param withReplacement false to make the keys within one sample distinct */
    public Sampling withReplacement(final boolean withReplacement)
    {
        final Sampling s = copy();
        s.withReplacement = withReplacement;
        return s;
    }

    /** @param poolSize keys in the pool of the {@code pool} scheme, per member, {@code 1..10^7} */
    public Sampling poolSize(final int poolSize)
    {
        if (poolSize < 1 || poolSize > 10_000_000)
        {
            throw new IllegalArgumentException("poolSize must be in 1..10000000, got " + poolSize);
        }
        final Sampling s = copy();
        s.poolSize = poolSize;
        return s;
    }

    /** @param reuse how many times the {@code pool} scheme hands out its pool before drawing a new one, {@code >= 1} */
    public Sampling reuse(final int reuse)
    {
        if (reuse < 1)
        {
            throw new IllegalArgumentException("reuse must be >= 1, got " + reuse);
        }
        final Sampling s = copy();
        s.reuse = reuse;
        return s;
    }

    /** @param checks candidates the {@code local} scheme examines for one sample before falling back, {@code >= 1} */
    public Sampling localChecks(final int checks)
    {
        if (checks < 1)
        {
            throw new IllegalArgumentException("localChecks must be >= 1, got " + checks);
        }
        final Sampling s = copy();
        s.localChecks = checks;
        return s;
    }

    /**
     * The reference's variant of the {@code local} scheme for a key range: per sample, draw one key from the
     * distribution and scan upwards from it through {@code [minKey, maxKey)}, wrapping around, to the first local key,
     * instead of drawing every candidate. One draw per sample whatever the share of local keys, and consecutive keys
     * for candidates; in exchange the distribution changes more: a local key is returned with the probability of the
     * run of remote keys just below it and itself, so keys after long remote runs are favoured. At most
     * {@link #localChecks()} keys are examined; the last one is the fallback.
     *
     * @param scan true to scan, false (the default) to draw every candidate
     */
    public Sampling localScan(final boolean scan)
    {
        final Sampling s = copy();
        s.localScan = scan;
        return s;
    }

    /**
     * @param seed seed of the draws; each member (by its address) and each of its workers derives its own generator
     *             from it, so that no two members of a cluster draw the same keys
     */
    public Sampling seed(final long seed)
    {
        final Sampling s = copy();
        s.seed = seed;
        return s;
    }

    /** @return the key distribution */
    public KeyDistribution distribution()
    {
        return distribution;
    }

    /** @return the scheme set for this table, or null to use the grid's default */
    public SamplingScheme scheme()
    {
        return scheme;
    }

    /** @return true if keys may repeat within one sample */
    public boolean withReplacement()
    {
        return withReplacement;
    }

    /** @return pool size of the {@code pool} scheme */
    public int poolSize()
    {
        return poolSize;
    }

    /** @return reuse factor of the {@code pool} scheme */
    public int reuse()
    {
        return reuse;
    }

    /** @return candidates the {@code local} scheme checks before a fallback */
    public int localChecks()
    {
        return localChecks;
    }

    /** @return true if the {@code local} scheme scans upwards from one drawn key ({@link #localScan(boolean)}) */
    public boolean localScan()
    {
        return localScan;
    }

    /** @return the seed */
    public long seed()
    {
        return seed;
    }

    @Override
    public String toString()
    {
        return "Sampling{" + distribution + ", scheme=" + (scheme == null ? "grid default" : scheme.label()) +
            ", withReplacement=" + withReplacement + ", poolSize=" + poolSize + ", reuse=" + reuse +
            ", localChecks=" + localChecks + ", localScan=" + localScan + ", seed=" + seed + '}';
    }
}
