package org.intentgrid.internal;

import org.intentgrid.TableSpec;

import java.util.function.LongSupplier;

/** Stores for single-member tests of the store's steps: 4 stripes, no listener, no memory cap. */
final class TestTables
{
    private TestTables()
    {
    }

    /** @return a store of {@code spec} whose every worker's clock is {@code clock} and whose action window is 0 */
    static TableStore store(final TableSpec spec, final LongSupplier clock)
    {
        return store(spec, clock, new ReadHolds(60_000).adoptions);
    }

    /** As {@link #store(TableSpec, LongSupplier)}, with {@code adoptions} holding its adopted keys */
    static TableStore store(final TableSpec spec, final LongSupplier clock, final AdoptionHolds adoptions)
    {
        return new TableStore(spec, 4, "m", StoreListener.NONE, new WorkerClocks()
        {
            @Override
            public long clock(final int worker)
            {
                return clock.getAsLong();
            }

            @Override
            public long actionWindow(final int worker)
            {
                return 0;
            }
        }, OffHeapMemory.unlimited().account(spec.name()), adoptions);
    }
}
