package org.intentgrid.internal;

import org.intentgrid.TableSpec;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** The member-local stores of all tables this member has seen, created on first use by any thread. */
final class StoreRegistry
{
    private static final int MAX_STRIPES = 1024;
    /** Keys per stripe below which a table gets fewer stripes: more would only scatter small tables in memory. */
    private static final int MIN_KEYS_PER_STRIPE = 64;

    private final ConcurrentHashMap<String, TableStore> tables = new ConcurrentHashMap<>();
    private final String memberName;
    private final WorkerClocks clocks;
    private final OffHeapMemory memory;
    private volatile StoreListener listener = StoreListener.NONE;

    StoreRegistry(final String memberName, final WorkerClocks clocks, final OffHeapMemory memory)
    {
        this.memberName = memberName;
        this.clocks = clocks;
        this.memory = memory;
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
            final long wanted = Math.max(1, spec.size() / MIN_KEYS_PER_STRIPE);
            final int stripes = (int)Math.min(MAX_STRIPES, Integer.highestOneBit((int)Math.min(1 << 30, wanted)));
            store = tables.computeIfAbsent(spec.name(),
                n -> new TableStore(spec, stripes, memberName, listener, clocks, memory.account(n)));
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
