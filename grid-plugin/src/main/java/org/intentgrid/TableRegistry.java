package org.intentgrid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cluster-wide table declarations, kept in a Hazelcast map so that a declaration from any member is seen
 * by all, re-declaring with the same shape is a no-op, and another shape is refused. The last dropped table of each
 * name is remembered in a second map: declaring the name again makes a table of the next
 * {@linkplain TableSpec#incarnation() incarnation}, whose {@linkplain TableSpec#id() id} no late message or stale
 * handle of the dropped one carries.
 */
final class TableRegistry
{
    static final String MAP_NAME = "__intentgrid.tables";
    static final String DROPPED_MAP_NAME = "__intentgrid.dropped-tables";

    private TableRegistry()
    {
    }

    /**
     * A drop that runs at the same time records the dropped incarnation first and forgets its declaration second: a
     * declaration that slipped in between, or one the drop has yet to forget, is of a dropped incarnation and is
     * replaced by the next one.
     *
     * @return the declared table: {@code spec} as the current incarnation of its name
     */
    static TableSpec declare(final HazelcastInstance instance, final TableSpec spec)
    {
        final IMap<String, String> map = instance.getMap(MAP_NAME);
        while (true)
        {
            final String lastDropped = instance.<String, String>getMap(DROPPED_MAP_NAME).get(spec.name());
            final TableSpec declared =
                spec.incarnation(lastDropped == null ? 0 : decode(spec.name(), lastDropped).incarnation() + 1);
            final String encoded = encode(declared);
            final String existing = map.putIfAbsent(spec.name(), encoded);
            final TableSpec known = existing == null ? declared : decode(spec.name(), existing);
            if (isDropped(instance, known))
            {
                map.remove(spec.name(), existing == null ? encoded : existing);
                continue;
            }
            if (!known.sameShape(spec))
            {
                throw new IllegalArgumentException("table '" + spec.name() + "' is already declared with " +
                    known.shape() + "; cannot re-declare it with " + spec.shape());
            }
            return known;
        }
    }

    static TableSpec lookup(final HazelcastInstance instance, final String name)
    {
        final String encoded = instance.<String, String>getMap(MAP_NAME).get(name);
        if (encoded == null)
        {
            final boolean dropped = instance.<String, String>getMap(DROPPED_MAP_NAME).containsKey(name);
            throw new IllegalArgumentException("unknown table '" + name + "': " +
                (dropped ? "it was dropped; declare it again" : "declare it first") + " with grid.table(spec)");
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

    /**
     * Records the table as the last dropped of its name, then forgets its declaration. A later incarnation of the name,
     * declared or dropped already, is left as it is: an old handle dropped again must not touch it.
     */
    static void drop(final HazelcastInstance instance, final TableSpec spec)
    {
        final IMap<String, String> dropped = instance.getMap(DROPPED_MAP_NAME);
        final String encoded = encode(spec);
        while (true)
        {
            final String last = dropped.get(spec.name());
            if (last != null && decode(spec.name(), last).incarnation() >= spec.incarnation() ||
                (last == null ? dropped.putIfAbsent(spec.name(), encoded) == null :
                    dropped.replace(spec.name(), last, encoded)))
            {
                break;
            }
        }
        instance.<String, String>getMap(MAP_NAME).remove(spec.name(), encoded);
    }

    /** @return true if this table was dropped anywhere in the cluster */
    static boolean isDropped(final HazelcastInstance instance, final TableSpec spec)
    {
        final String lastDropped = instance.<String, String>getMap(DROPPED_MAP_NAME).get(spec.name());
        return lastDropped != null && decode(spec.name(), lastDropped).incarnation() >= spec.incarnation();
    }

    static String encode(final TableSpec spec)
    {
        final Init init = spec.init();
        return spec.size() + "|" + spec.valueLength() + "|" + init.kind() + "|" + Double.doubleToLongBits(init.a()) +
            "|" + Double.doubleToLongBits(init.b()) + "|" + init.seed() + "|" + spec.incarnation();
    }

    static TableSpec decode(final String name, final String encoded)
    {
        final String[] f = encoded.split("\\|");
        return TableSpec.of(name, Long.parseLong(f[0]), Integer.parseInt(f[1])).init(Init.of(Init.Kind.valueOf(f[2]),
            Double.longBitsToDouble(Long.parseLong(f[3])), Double.longBitsToDouble(Long.parseLong(f[4])),
            Long.parseLong(f[5]))).incarnation(f.length > 6 ? Integer.parseInt(f[6]) : 0);
    }
}
