package org.intentgrid;

/** Base of the built-in key distributions: a validated, non-empty key range {@code [min, max)}. */
abstract class KeyRange implements KeyDistribution
{
    private final String name;
    final long min;
    final long max;

    KeyRange(final String name, final long min, final long max)
    {
        if (min < 0 || max <= min)
        {
            throw new IllegalArgumentException(name + " key range [" + min + ", " + max + ") is empty or negative; " +
                "expected 0 <= min < max");
        }
        this.name = name;
        this.min = min;
        this.max = max;
    }

    @Override
    public final long minKey()
    {
        return min;
    }

    @Override
    public final long maxKey()
    {
        return max;
    }

    @Override
    public String toString()
    {
        return name + "[" + min + ", " + max + ")";
    }
}
