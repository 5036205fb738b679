package org.intentgrid;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Shared set-up for multi-member tests in one JVM (public for the tests of the internal package too). */
public final class TestGrids
{
    private static final Logger HAZELCAST_LOGGER = Logger.getLogger("com.hazelcast");

    static
    {
        HAZELCAST_LOGGER.setLevel(Level.WARNING);
    }

    private TestGrids()
    {
    }

    static ParameterGrid start(final int members)
    {
        return ParameterGrid.start(GridConfig.embedded().members(members));
    }

    /** Waits for every handle of a ring of in-flight operations. */
    static void awaitAll(final OpHandle[] inFlight)
    {
        for (final OpHandle handle : inFlight)
        {
            if (handle != null)
            {
                handle.await();
            }
        }
    }

    /** @return element {@code element} of the initial value of {@code key} in {@code table} */
    public static float initial(final Table table, final long key, final int element)
    {
        return table.spec().init().value(table.spec().nameHash(), key, element);
    }
}
