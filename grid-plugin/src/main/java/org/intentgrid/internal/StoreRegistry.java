package org.intentgrid.internal;

import org.intentgrid.TableSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** The member-local stores of all tables this member has seen, created on first use by any thread. */
final class StoreRegistry
{
    private static final int MAX_STRIPES = 1024;
    /** Keys per stripe of a large table: more stripes would only scatter its slots in memory. */
    private static final int MIN_KEYS_PER_STRIPE = 64;
    /**
     * Stripes of a table of more keys than this; a smaller one gets a stripe per key. Small tables are the hot ones
     * (kge's relations: every example pushes one of ten keys), whose stripes a worker, the sync threads and the
     * owner's operation threads all lock at once; with one stripe for them the worker's lock releases spent 5% of its
     * time waking the threads queued on it. Not more: a stripe takes about 1 KB of heap even when empty.
     */
    private static final int MIN_STRIPES = 16;

    private final ConcurrentHashMap<String, TableStore> tables = new ConcurrentHashMap<>();
    /** Tables dropped here by id, and when their memory is free: their ids are refused while this member runs. */
    private final ConcurrentHashMap<String, Drop> dropped = new ConcurrentHashMap<>();
    private final String memberName;
    private final WorkerClocks clocks;
    private final OffHeapMemory memory;
    private final AdoptionHolds adoptions;
    private volatile StoreListener listener = StoreListener.NONE;

    StoreRegistry(final String memberName, final WorkerClocks clocks, final OffHeapMemory memory,
        final AdoptionHolds adoptions)
    {
        this.memberName = memberName;
        this.clocks = clocks;
        this.memory = memory;
        this.adoptions = adoptions;
    }

    /** Installs an ownership listener; affects tables created afterwards. */
    void listener(final StoreListener listener)
    {
        this.listener = listener;
    }

    /**
     * @return the member-local store of the table, created on first use
     * @throws IllegalArgumentException if a table of that name with another shape is known here
     * @throws IllegalStateException    if the table was dropped
     */
    TableStore table(final TableSpec spec)
    {
        final TableStore store = liveTable(spec);
        if (store == null)
        {
            throw new IllegalStateException("table '" + spec.name() + "' was dropped; declare it again with " +
                "grid.table(spec) for a new, empty table");
        }
        return store;
    }

    /**
     * @return the member-local store of the table, created on first use, or null if the table was dropped (for
     *         servers, which answer requests of a dropped table instead of failing them)
     * @throws IllegalArgumentException if a table of that name with another shape is known here
     */
    TableStore liveTable(final TableSpec spec)
    {
        TableStore store = tables.get(spec.id());
        if (store == null)
        {
            if (dropped.containsKey(spec.id()))
            {
                return null;
            }
            final int stripes = stripeCount(spec.size());
            store = tables.computeIfAbsent(spec.id(),
                n -> new TableStore(spec, stripes, memberName, listener, clocks, memory.account(spec.name()),
                    adoptions));
            if (dropped.containsKey(spec.id()))
            {
                if (tables.remove(spec.id(), store))
                {
                    // created while a drop ran: no store of a dropped table may stay
                    store.drop();
                }
                return null;
            }
        }
        if (store.spec() != spec && !store.spec().equals(spec))
        {
            throw new IllegalArgumentException("table '" + spec.name() + "' exists with " + store.spec().shape() +
                "; cannot use it as " + spec.shape());
        }
        return store;
    }

    /** @return lock stripes of a table of {@code size} keys: a power of two, at most {@link #MAX_STRIPES} */
    static int stripeCount(final long size)
    {
        if (size <= MIN_STRIPES)
        {
            return Integer.highestOneBit((int)Math.max(1, size) * 2 - 1);
        }
        final long wanted = Math.max(MIN_STRIPES, size / MIN_KEYS_PER_STRIPE);
        return (int)Math.min(MAX_STRIPES, Integer.highestOneBit((int)Math.min(1 << 30, wanted)));
    }

    /**
     * Drops a table here (idempotent): its store leaves the registry, its keys are forgotten, its memory is freed after
     * a grace period, and its id is refused from now on (a later incarnation of its name is another table).
     *
     * @return completes once the table's memory is freed
     */
    CompletableFuture<Void> drop(final TableSpec spec)
    {
        final String id = spec.id();
        final CompletableFuture<Void> freed = new CompletableFuture<>();
        final Drop known = dropped.putIfAbsent(id, new Drop(spec, freed));
        if (known != null)
        {
            return known.freed;
        }
        adoptions.forget(spec);
        final TableStore store = tables.remove(id);
        if (store == null)
        {
            freed.complete(null);
        }
        else
        {
            store.drop().whenComplete((done, error) -> freed.complete(null));
        }
        return freed;
    }

    /** @return true if the table of that {@linkplain TableSpec#id() id} was dropped (the id is refused) */
    boolean isDropped(final String id)
    {
        return dropped.containsKey(id);
    }

    /** @return the tables dropped here, as they were declared (to tell members that join later) */
    List<TableSpec> droppedTables()
    {
        final List<TableSpec> specs = new ArrayList<>();
        for (final Drop drop : dropped.values())
        {
            specs.add(drop.spec);
        }
        return specs;
    }

    /** @return how many tables were dropped here */
    int droppedCount()
    {
        return dropped.size();
    }

    /**
     * Drops every table (the member shuts down).
     *
     * @return completes once all their memory is freed
     */
    CompletableFuture<Void> dropAll()
    {
        return CompletableFuture.allOf(tables.values().stream().map(store -> drop(store.spec()))
            .toArray(CompletableFuture[]::new));
    }

    Collection<TableStore> all()
    {
        return tables.values();
    }

    private record Drop(TableSpec spec, CompletableFuture<Void> freed)
    {
    }
}
