package org.intentgrid.intent;

import org.intentgrid.GridConfig;
import org.intentgrid.GridMember;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.spi.Mode;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Shared set-up for multi-member intent tests in one JVM. */
final class Grids
{
    private static final Logger HAZELCAST_LOGGER = Logger.getLogger("com.hazelcast");

    static
    {
        HAZELCAST_LOGGER.setLevel(Level.SEVERE);
    }

    private Grids()
    {
    }

    static ParameterGrid start(final int members, final Mode mode)
    {
        return ParameterGrid.start(GridConfig.embedded().members(members).mode(mode));
    }

    /** @return the first {@code count} keys whose home is {@code member} */
    static long[] homedOn(final GridMember member, final Table table, final int count)
    {
        final long[] keys = new long[count];
        int n = 0;
        for (long k = 0; k < table.size() && n < count; k++)
        {
            if (member.isHome(table, k))
            {
                keys[n++] = k;
            }
        }
        if (n < count)
        {
            throw new IllegalStateException("table too small: only " + n + " keys homed on " + member);
        }
        return keys;
    }

    /** Materializes every key of the table at its home. */
    static void touchAll(final ParameterGrid grid, final Table table)
    {
        final long[] all = new long[(int)table.size()];
        for (int k = 0; k < all.length; k++)
        {
            all[k] = k;
        }
        try (ParameterWorker w = grid.worker())
        {
            w.pull(table, all, new float[all.length * table.valueLength()]).await();
        }
    }
}
