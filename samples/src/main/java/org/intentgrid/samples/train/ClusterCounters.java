package org.intentgrid.samples.train;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;

import java.util.Map;

/**
 * Named counters shared by the JVMs of a {@code --fork} run, kept in an IMap and changed by an entry processor on the
 * key's partition owner, so increments are atomic and reads see them. (Hazelcast's IAtomicLong needs the CP
 * subsystem, which open-source Hazelcast 5.6 no longer offers.)
 */
final class ClusterCounters
{
    private final IMap<String, Long> map;

    ClusterCounters(final HazelcastInstance hz)
    {
        this.map = hz.getMap("intentgrid-train-counters");
    }

    /** @return the counter's value after adding {@code delta} */
    long add(final String name, final long delta)
    {
        return map.executeOnKey(name, new Add(delta));
    }

    /** Adds {@code delta} without waiting for the answer (progress reports: a worker must not wait on them). */
    void addLater(final String name, final long delta)
    {
        map.submitToKey(name, new Add(delta));
    }

    long get(final String name)
    {
        final Long value = map.get(name);
        return value == null ? 0 : value;
    }

    void reset(final String name)
    {
        map.delete(name);
    }

    private static final class Add implements EntryProcessor<String, Long, Long>
    {
        private static final long serialVersionUID = 1L;

        private final long delta;

        Add(final long delta)
        {
            this.delta = delta;
        }

        @Override
        public Long process(final Map.Entry<String, Long> entry)
        {
            final long value = (entry.getValue() == null ? 0 : entry.getValue()) + delta;
            entry.setValue(value);
            return value;
        }
    }
}
