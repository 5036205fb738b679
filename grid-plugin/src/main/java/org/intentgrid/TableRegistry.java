package org.intentgrid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

/**
 * Cluster-wide table declarations, kept in a Hazelcast map so that a declaration from any member is seen
 * by all, re-declaring with the same shape is a no-op, and another shape is refused.
 */
final class TableRegistry
{
    static final String MAP_NAME = "__intentgrid.tables";

    private TableRegistry()
    {
    }

    static TableSpec declare(final HazelcastInstance instance, final TableSpec spec)
    {
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
            throw new IllegalArgumentException("unknown table '" + name + "': declare it first with grid.table(spec)");
        }
        return decode(name, encoded);
    }

    private static String encode(final TableSpec spec)
    {
        final Init init = spec.init();
        return spec.size() + "|" + spec.valueLength() + "|" + init.kind() + "|" + Double.doubleToLongBits(init.a()) +
            "|" + Double.doubleToLongBits(init.b()) + "|" + init.seed();
    }

    private static TableSpec decode(final String name, final String encoded)
    {
        final String[] f = encoded.split("\\|");
        return TableSpec.of(name, Long.parseLong(f[0]), Integer.parseInt(f[1])).init(Init.of(Init.Kind.valueOf(f[2]),
            Double.longBitsToDouble(Long.parseLong(f[3])), Double.longBitsToDouble(Long.parseLong(f[4])),
            Long.parseLong(f[5])));
    }
}
