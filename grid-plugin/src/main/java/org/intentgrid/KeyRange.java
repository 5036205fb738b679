package org.intentgrid;

/** Validation shared by the built-in key distributions. */
final class KeyRange
{
    private KeyRange()
    {
    }

    static void check(final String distribution, final long min, final long max)
    {
        if (min < 0 || max <= min)
        {
            throw new IllegalArgumentException(distribution + " key range [" + min + ", " + max + ") is empty or " +
                "negative; expected 0 <= min < max");
        }
    }
}
