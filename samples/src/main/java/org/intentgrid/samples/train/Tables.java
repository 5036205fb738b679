package org.intentgrid.samples.train;

import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;

/** Reading whole tables for evaluation. */
public final class Tables
{
    private Tables()
    {
    }

    /**
     * @return the first {@code width} floats of the values of keys {@code 0 .. count-1}, packed (for tables whose
     *         values hold a parameter vector followed by optimizer state)
     */
    public static float[] leading(final ParameterGrid grid, final Table table, final int count, final int width)
    {
        final int length = table.valueLength();
        final long[] keys = new long[count];
        for (int k = 0; k < count; k++)
        {
            keys[k] = k;
        }
        final float[] values = new float[count * length];
        try (ParameterWorker w = grid.worker())
        {
            w.pull(table, keys, values).await();
        }
        final float[] packed = new float[count * width];
        for (int k = 0; k < count; k++)
        {
            System.arraycopy(values, k * length, packed, k * width, width);
        }
        return packed;
    }
}
