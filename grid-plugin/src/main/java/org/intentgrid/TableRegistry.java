package org.intentgrid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cluster-wide table declarations, kept in a Hazelcast map so that a declaration from any member is seen
 * by all, re-declaring with the same shape is a no-op, and another shape is refused. Dropped tables are remembered
 * in a second map: their names are not reused, so that a late message of the dropped table can never be taken for
 * one of a new table.
 */
final class TableRegistry
{
    static final String MAP_NAME = "__intentgrid.tables";
    static final String DROPPED_MAP_NAME = "__intentgrid.dropped-tables";

    private TableRegistry()
    {
    }

    static TableSpec declare(final HazelcastInstance instance, final TableSpec spec)
    {
        checkNotDropped(instance, spec.name());
        final IMap<String, String> map = instance.getMap(MAP_NAME);
        final String encoded = encode(spec);
        final String existing = map.putIfAbsent(spec.name(), encoded);
        if (existing != null && !existing.equals(encoded))
        {
            throw new IllegalArgumentException("table '" + spec.name() + "' is already declared with " +
                decode(spec.name(), existing).shape() + "; cannot re-declare it with " + spec.shape());
        }
        return spec;
    }

    static TableSpec lookup(final HazelcastInstance instance, final String name)
    {
        final String encoded = instance.<String, String>getMap(MAP_NAME).get(name);
        if (encoded == null)
        {
            checkNotDropped(instance, name);
            throw new IllegalArgumentException("unknown table '" + name + "': declare it first with grid.table(spec)");
        }
        return decode(name, encoded);
    }

    /** @return every declared table, by name */
    static List<TableSpec> all(final HazelcastInstance instance)
    {
        final List<TableSpec> specs = new ArrayList<>();
        instance.<String, String>getMap(MAP_NAME).forEach((name, encoded) -> specs.add(decode(name, encoded)));
        specs.sort(Comparator.comparing(TableSpec::name));
        return specs;
    }

    /** Records the table as dropped, then forgets its declaration. */
    static void drop(final HazelcastInstance instance, final TableSpec spec)
    {
        instance.<String, String>getMap(DROPPED_MAP_NAME).put(spec.name(), encode(spec));
        instance.<String, String>getMap(MAP_NAME).remove(spec.name());
    }

    /** @return true if a table of that name was dropped anywhere in the cluster */
    static boolean isDropped(final HazelcastInstance instance, final String name)
    {
        return instance.<String, String>getMap(DROPPED_MAP_NAME).containsKey(name);
    }

    private static void checkNotDropped(final HazelcastInstance instance, final String name)
    {
        if (isDropped(instance, name))
        {
            throw new IllegalArgumentException("table '" + name + "' was dropped; table names are not reused, " +
                "declare it under a new name");
        }
    }

    static String encode(final TableSpec spec)
    {
        final Init init = spec.init();
        return spec.size() + "|" + spec.valueLength() + "|" + init.kind() + "|" + Double.doubleToLongBits(init.a()) +
            "|" + Double.doubleToLongBits(init.b()) + "|" + init.seed();
    }

    static TableSpec decode(final String name, final String encoded)
    {
        final String[] f = encoded.split("\\|");
        return TableSpec.of(name, Long.parseLong(f[0]), Integer.parseInt(f[1])).init(Init.of(Init.Kind.valueOf(f[2]),
            Double.longBitsToDouble(Long.parseLong(f[3])), Double.longBitsToDouble(Long.parseLong(f[4])),
            Long.parseLong(f[5])));
    }
}
