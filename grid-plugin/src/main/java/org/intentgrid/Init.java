package org.intentgrid;

import java.util.Objects;

/**
 * Initial value of every parameter of a table, computed from (table name, key, element index) alone.
 * <p>
 * Any member can therefore materialize a key's initial value without asking anyone, and every member
 * produces bit-identical values: there is no shared random state. Instances are immutable.
 */
public final class Init
{
    /** How values are drawn. */
    public enum Kind
    {
        /** All elements are zero. */
        ZEROS,
        /** Elements are Gaussian with mean {@code a} and standard deviation {@code b}. */
        NORMAL,
        /** Elements are uniform in {@code [a, b)}. */
        UNIFORM
    }

    private static final Init ZEROS = new Init(Kind.ZEROS, 0, 0, 0);
    private static final double TWO_POW_MINUS_53 = 0x1.0p-53;

    private final Kind kind;
    private final double a;
    private final double b;
    private final long seed;

    private Init(final Kind kind, final double a, final double b, final long seed)
    {
        this.kind = kind;
        this.a = a;
        this.b = b;
        this.seed = seed;
    }

    /** @return the all-zeros initializer (the default). */
    public static Init zeros()
    {
        return ZEROS;
    }

    /**
     * @param mean   mean of every element
     * @param stdDev standard deviation, finite and {@code >= 0}
     * @param seed   seed mixed with the table name and key
     * @return a seeded Gaussian initializer
     */
    public static Init normal(final double mean, final double stdDev, final long seed)
    {
        if (!Double.isFinite(mean) || !Double.isFinite(stdDev) || stdDev < 0)
        {
            throw new IllegalArgumentException(
                "Init.normal needs a finite mean and a finite stdDev >= 0, got mean=" + mean + " stdDev=" + stdDev);
        }
        return new Init(Kind.NORMAL, mean, stdDev, seed);
    }

    /**
     * @param low  inclusive lower bound
     * @param high exclusive upper bound, {@code > low}
     * @param seed seed mixed with the table name and key
     * @return a seeded uniform initializer
     */
    public static Init uniform(final double low, final double high, final long seed)
    {
        if (!Double.isFinite(low) || !Double.isFinite(high) || !(high > low))
        {
            throw new IllegalArgumentException(
                "Init.uniform needs finite bounds with low < high, got low=" + low + " high=" + high);
        }
        return new Init(Kind.UNIFORM, low, high, seed);
    }

    /**
     * Re-creates an initializer from its parts, as read back from the wire or a registry.
     *
     * @param kind the kind
     * @param a    first parameter (mean or low)
     * @param b    second parameter (std dev or high)
     * @param seed the seed
     * @return the initializer
     */
    public static Init of(final Kind kind, final double a, final double b, final long seed)
    {
        switch (kind)
        {
            case ZEROS:
                return ZEROS;
            case NORMAL:
                return normal(a, b, seed);
            default:
                return uniform(a, b, seed);
        }
    }

    /** @return how values are drawn */
    public Kind kind()
    {
        return kind;
    }

    /** @return mean (normal) or lower bound (uniform) */
    public double a()
    {
        return a;
    }

    /** @return standard deviation (normal) or upper bound (uniform) */
    public double b()
    {
        return b;
    }

    /** @return the seed */
    public long seed()
    {
        return seed;
    }

    /**
     * Computes element {@code index} of the initial value of {@code key}.
     *
     * @param tableHash a stable hash of the table name
     * @param key       the key
     * @param index     element index within the value
     * @return the initial element value
     */
    public float value(final long tableHash, final long key, final int index)
    {
        switch (kind)
        {
            case ZEROS:
                return 0f;
            case UNIFORM:
                return (float)(a + (b - a) * unit(tableHash, key, index, 0));
            default:
                // Box-Muller from two independent stateless draws: no generator object per key.
                final double u1 = 1.0 - unit(tableHash, key, index, 1);
                final double u2 = unit(tableHash, key, index, 2);
                return (float)(a + b * Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2));
        }
    }

    private double unit(final long tableHash, final long key, final int index, final int stream)
    {
        long h = seed ^ tableHash * 0x9E3779B97F4A7C15L;
        h = Hashing.mix64(h + key * 0xC2B2AE3D27D4EB4FL);
        h = Hashing.mix64(h + ((long)index << 2 | stream));
        return (h >>> 11) * TWO_POW_MINUS_53;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof Init))
        {
            return false;
        }
        final Init other = (Init)o;
        return kind == other.kind && Double.compare(a, other.a) == 0 && Double.compare(b, other.b) == 0 &&
            seed == other.seed;
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(kind, a, b, seed);
    }

    @Override
    public String toString()
    {
        switch (kind)
        {
            case ZEROS:
                return "zeros";
            case NORMAL:
                return "normal(mean=" + a + ", std=" + b + ", seed=" + seed + ")";
            default:
                return "uniform(low=" + a + ", high=" + b + ", seed=" + seed + ")";
        }
    }
}
