package org.intentgrid.spi;

/** The scheme's side of a prepared sample. */
public interface PreparedSample
{
    /**
     * Writes the next {@code count} sampled keys into {@code keysOut[0 .. count)}. The scheme may read the values of
     * keys it finds local straight into {@code valuesOut} (at {@code position * valueLength}); it lists the
     * positions whose values it did not read in {@code unserved}, and the caller pulls those.
     *
     * @param unserved room for at least {@code count} positions
     * @return number of positions written to {@code unserved}
     */
    int next(long[] keysOut, int count, float[] valuesOut, int[] unserved);
}
