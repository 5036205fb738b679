package org.intentgrid.internal;

import org.agrona.UnsafeAccess;
import sun.misc.Unsafe;

/**
 * Finds NaN and infinite floats in a push or set before anything is applied. Every pushed float is checked, so the
 * scan is on the local fast path: it reads two floats per 64-bit load and folds their exponents into one word
 * without a branch per float (C2 does not vectorize a {@link Float#isFinite} loop). Measured on the 2-core machine,
 * it takes 0.4-0.5x the time of the {@code Float.isFinite} loop at 16 to 256 floats.
 */
public final class FiniteScan
{
    private static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;
    private static final long FLOAT_BASE = UNSAFE.arrayBaseOffset(float[].class);
    private static final long EXPONENTS = 0x7f8000007f800000L;
    /**
     * Added to two masked exponents, carries into a half's top bit only from an all-ones exponent (NaN or
     * infinity); neither half can carry into the other.
     */
    private static final long CARRY_IF_ALL_ONES = 0x0080000000800000L;
    private static final long TOP_BITS = 0x8000000080000000L;
    private static final int EXPONENT = 0x7f800000;

    private FiniteScan()
    {
    }

    /**
     * @return the index of the first NaN or infinite element among the first {@code length} of {@code values}, or -1
     *         if all of them are finite
     */
    public static int firstNonFinite(final float[] values, final int length)
    {
        final int pairs = length >>> 1;
        long folded = 0;
        long at = FLOAT_BASE;
        for (int i = 0; i < pairs; i++, at += Long.BYTES)
        {
            folded |= (UNSAFE.getLong(values, at) & EXPONENTS) + CARRY_IF_ALL_ONES;
        }
        if ((length & 1) != 0)
        {
            folded |= (Float.floatToRawIntBits(values[length - 1]) & EXPONENT) + (int)CARRY_IF_ALL_ONES;
        }
        return (folded & TOP_BITS) == 0 ? -1 : firstNonFiniteOneByOne(values, length);
    }

    private static int firstNonFiniteOneByOne(final float[] values, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (!Float.isFinite(values[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
