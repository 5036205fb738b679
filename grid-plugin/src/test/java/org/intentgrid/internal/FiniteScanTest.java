package org.intentgrid.internal;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FiniteScanTest
{
    private static final float[] NON_FINITE = {
        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xffffffff), Float.intBitsToFloat(0xff800001)};
    private static final float[] EDGE_FINITE = {
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 0f, -0f,
        Float.intBitsToFloat(0x7f7fffff), Float.intBitsToFloat(0x007fffff)};

    @Test
    void findsTheFirstNonFiniteElementAtEveryPositionOfEveryLength()
    {
        final Random random = new Random(11);
        for (int length = 0; length <= 41; length++)
        {
            final float[] values = new float[length];
            for (int i = 0; i < length; i++)
            {
                values[i] = random.nextBoolean() ? EDGE_FINITE[random.nextInt(EDGE_FINITE.length)] :
                    (float)random.nextGaussian() * 1e30f;
            }
            assertEquals(-1, FiniteScan.firstNonFinite(values, length), "finite, length " + length);
            for (int first = 0; first < length; first++)
            {
                final float[] bad = values.clone();
                bad[first] = NON_FINITE[random.nextInt(NON_FINITE.length)];
                if (first + 1 < length && random.nextBoolean())
                {
                    bad[first + 1 + random.nextInt(length - first - 1)] = Float.NaN;
                }
                assertEquals(first, FiniteScan.firstNonFinite(bad, length), "length " + length + ", " + bad[first]);
            }
        }
    }

    @Test
    void looksOnlyAtTheGivenLength()
    {
        for (int length = 0; length <= 9; length++)
        {
            final float[] values = new float[10];
            values[length] = Float.NaN;
            assertEquals(-1, FiniteScan.firstNonFinite(values, length), "a NaN just past length " + length);
            assertEquals(length, FiniteScan.firstNonFinite(values, length + 1), "the same NaN within length");
        }
    }
}
