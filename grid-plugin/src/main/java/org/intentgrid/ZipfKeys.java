package org.intentgrid;

import java.util.random.RandomGenerator;

/**
 * Zipf's law by rejection-inversion (Hörmann and Derflinger, 1996): constant expected time and no table,
 * so it works for key ranges of any size. Ranks {@code 1..n} map to keys {@code min..max-1}.
 */
final class ZipfKeys extends KeyRange
{
    private final long n;
    private final double exponent;
    private final double hIntegralX1;
    private final double hIntegralN;
    private final double squeeze;

    ZipfKeys(final long min, final long max, final double exponent)
    {
        super("zipf", min, max);
        if (!(exponent > 0) || Double.isInfinite(exponent))
        {
            throw new IllegalArgumentException("zipf exponent " + exponent +
                " is invalid; expected a finite value > 0");
        }
        this.n = max - min;
        this.exponent = exponent;
        this.hIntegralX1 = hIntegral(1.5) - 1.0;
        this.hIntegralN = hIntegral(n + 0.5);
        this.squeeze = 2.0 - hIntegralInverse(hIntegral(2.5) - h(2.0));
    }

    @Override
    public long draw(final RandomGenerator random)
    {
        while (true)
        {
            final double u = hIntegralN + random.nextDouble() * (hIntegralX1 - hIntegralN);
            final double x = hIntegralInverse(u);
            long rank = (long)(x + 0.5);
            if (rank < 1)
            {
                rank = 1;
            }
            else if (rank > n)
            {
                rank = n;
            }
            if (rank - x <= squeeze || u >= hIntegral(rank + 0.5) - h(rank))
            {
                return min + rank - 1;
            }
        }
    }

    /** The density {@code x^-exponent} whose integral bounds the probabilities. */
    private double h(final double x)
    {
        return Math.exp(-exponent * Math.log(x));
    }

    /** {@code (x^(1-exponent) - 1) / (1 - exponent)}, continuous at exponent 1 (where it is {@code log x}). */
    private double hIntegral(final double x)
    {
        final double logX = Math.log(x);
        return expm1OverX((1.0 - exponent) * logX) * logX;
    }

    private double hIntegralInverse(final double y)
    {
        double t = y * (1.0 - exponent);
        if (t < -1.0)
        {
            t = -1.0;
        }
        return Math.exp(log1pOverX(t) * y);
    }

    /** {@code log(1 + t) / t}, by its series near 0 where the quotient loses precision. */
    private static double log1pOverX(final double t)
    {
        if (Math.abs(t) > 1e-8)
        {
            return Math.log1p(t) / t;
        }
        return 1.0 - t * (0.5 - t * (1.0 / 3.0 - 0.25 * t));
    }

    /** {@code (e^t - 1) / t}, by its series near 0. */
    private static double expm1OverX(final double t)
    {
        if (Math.abs(t) > 1e-8)
        {
            return Math.expm1(t) / t;
        }
        return 1.0 + t * 0.5 * (1.0 + t / 3.0 * (1.0 + 0.25 * t));
    }

    @Override
    public String toString()
    {
        return super.toString() + " exponent " + exponent;
    }
}
