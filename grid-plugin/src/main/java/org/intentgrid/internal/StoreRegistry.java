package org.intentgrid.internal;

import org.intentgrid.TableSpec;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** The member-local stores of all tables this member has seen, created on first use by any thread. */
final class StoreRegistry
{
    private static final int MAX_STRIPES = 1024;

    private final ConcurrentHashMap<String, TableStore> tables = new ConcurrentHashMap<>();
    private final String memberName;
    private final WorkerClocks clocks;
    private volatile StoreListener listener = StoreListener.NONE;

    StoreRegistry(final String memberName, final WorkerClocks clocks)
    {
        this.memberName = memberName;
        this.clocks = clocks;
    }

    /** Installs an ownership listener; affects tables created afterwards. */
    void listener(final StoreListener listener)
    {
        this.listener = listener;
    }

    /**
     * @return the member-local store of the table, created on first use
     * @throws IllegalArgumentException if a table of that name with another shape is known here
     */
    TableStore table(final TableSpec spec)
    {
        TableStore store = tables.get(spec.name());
        if (store == null)
        {
            final int stripes = (int)Math.min(MAX_STRIPES, Integer.highestOneBit((int)Math.min(1 << 30, spec.size())));
            store = tables.computeIfAbsent(spec.name(),
                n -> new TableStore(spec, Math.max(1, stripes), memberName, listener, clocks));
        }
        if (store.spec() != spec && !store.spec().equals(spec))
        {
            throw new IllegalArgumentException("table '" + spec.name() + "' exists with " + store.spec().shape() +
                "; cannot use it as " + spec.shape());
        }
        return store;
    }

    Collection<TableStore> all()
    {
        return tables.values();
    }
}
