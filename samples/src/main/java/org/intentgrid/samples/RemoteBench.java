package org.intentgrid.samples;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import org.HdrHistogram.Histogram;
import org.intentgrid.GridConfig;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Remote access between two embedded members, side by side in one run: the grid's batched pull and push
 * against Hazelcast IMap get, getAll, executeOnKey and executeOnKeys doing the same work on keys owned by
 * the other member.
 */
@Command(name = "remote", mixinStandardHelpOptions = true,
    description = "Remote 100-key batches between 2 members: intentgrid vs Hazelcast IMap, keys/s and p50/p99.")
final class RemoteBench implements Runnable
{
    @Option(names = "--keys", defaultValue = "100000", description = "keys in the table (default ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--dim", defaultValue = "32", description = "floats per key (default ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--batch", defaultValue = "100", description = "keys per batch (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--batches", defaultValue = "2000",
        description = "measured batches per case (default ${DEFAULT-VALUE})")
    int batches;

    @Option(names = "--json", defaultValue = "target/bench-remote.json", description = "result file")
    File json;

    @Override
    public void run()
    {
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(2)))
        {
            final Table table = grid.table(TableSpec.of("bench-remote", keys, dim));
            final long[] gridKeys = keysHomedOn(grid, table);
            final HazelcastInstance caller = grid.member(0).hazelcast();
            final IMap<Long, float[]> map = caller.getMap("bench-imap");
            final long[] mapKeys = keysOwnedBy(caller, grid.member(1).hazelcast().getCluster().getLocalMember());
            final Map<Long, float[]> initial = new java.util.HashMap<>();
            for (final long k : mapKeys)
            {
                initial.put(k, new float[dim]);
            }
            map.putAll(initial);

            final List<Map<String, Object>> rows = new ArrayList<>();
            try (ParameterWorker worker = grid.member(0).worker())
            {
                final float[] values = new float[batch * dim];
                final float[] updates = new float[batch * dim];
                final long start = System.nanoTime();
                final float[] firstTouch = new float[gridKeys.length * dim];
                worker.pull(table, gridKeys, firstTouch).await();
                final double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("  first touch of %,d keys (materialized at their home, like IMap.putAll): %.2f s, " +
                    "%,.0f keys/s%n", gridKeys.length, seconds, gridKeys.length / seconds);
                rows.add(measure("intentgrid pull (batch)", batch, gridKeys, keysOut -> worker.pull(table, keysOut,
                    values).await()));
                rows.add(measure("intentgrid push (batch)", batch, gridKeys, keysOut -> worker.push(table, keysOut,
                    updates).await()));
            }
            final Set<Long> keySet = new HashSet<>();
            rows.add(measure("IMap getAll (batch)", batch, mapKeys, keysOut ->
            {
                keySet.clear();
                for (final long k : keysOut)
                {
                    keySet.add(k);
                }
                map.getAll(keySet);
            }));
            rows.add(measure("IMap executeOnKeys add (batch)", batch, mapKeys, keysOut ->
            {
                keySet.clear();
                for (final long k : keysOut)
                {
                    keySet.add(k);
                }
                map.executeOnKeys(keySet, new AddProcessor(dim));
            }));
            rows.add(measure("IMap get (1 key)", 1, mapKeys, keysOut -> map.get(keysOut[0])));
            rows.add(measure("IMap executeOnKey add (1 key)", 1, mapKeys, keysOut -> map.executeOnKey(keysOut[0],
                new AddProcessor(dim))));

            final double ours = (double)rows.get(0).get("keys_per_s");
            System.out.printf("%n%-32s %12s %10s %10s %12s%n", "case (remote member, loopback)", "keys/s", "p50 us",
                "p99 us", "ours/this");
            for (final Map<String, Object> row : rows)
            {
                final double ratio = ours / (double)row.get("keys_per_s");
                row.put("intentgrid_pull_ratio", ratio);
                System.out.printf("%-32s %12.0f %10.1f %10.1f %11.1fx%n", row.get("case"), row.get("keys_per_s"),
                    row.get("p50_us"), row.get("p99_us"), ratio);
            }
            final Map<String, Object> result = new LinkedHashMap<>();
            result.put("benchmark", "remote");
            result.put("members", 2);
            result.put("dim", dim);
            result.put("batch", batch);
            result.put("batches", batches);
            result.put("cases", rows);
            Json.write(json, result);
            System.out.println("Results written to " + json);
        }
    }

    private interface BatchCall
    {
        void run(long[] keys);
    }

    private Map<String, Object> measure(final String name, final int size, final long[] pool, final BatchCall call)
    {
        final SplittableRandom random = new SplittableRandom(7);
        final long[] keysOut = new long[size];
        final int warmup = Math.max(100, batches / 5);
        final Histogram histogram = new Histogram(3);
        long measuredNanos = 0;
        for (int b = 0; b < warmup + batches; b++)
        {
            for (int i = 0; i < size; i++)
            {
                keysOut[i] = pool[random.nextInt(pool.length)];
            }
            final long start = System.nanoTime();
            call.run(keysOut);
            final long took = System.nanoTime() - start;
            if (b >= warmup)
            {
                histogram.recordValue(took);
                measuredNanos += took;
            }
        }
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("case", name);
        row.put("keys_per_batch", size);
        row.put("keys_per_s", (double)batches * size / (measuredNanos / 1e9));
        row.put("p50_us", histogram.getValueAtPercentile(50) / 1e3);
        row.put("p99_us", histogram.getValueAtPercentile(99) / 1e3);
        System.out.printf("  measured %-32s %,.0f keys/s%n", name, row.get("keys_per_s"));
        return row;
    }

    private long[] keysHomedOn(final ParameterGrid grid, final Table table)
    {
        final long[] chosen = new long[keys];
        int n = 0;
        for (long k = 0; k < keys; k++)
        {
            if (grid.member(1).isHome(table, k))
            {
                chosen[n++] = k;
            }
        }
        return java.util.Arrays.copyOf(chosen, n);
    }

    private long[] keysOwnedBy(final HazelcastInstance caller, final Member owner)
    {
        final int wanted = keys / 2;
        final long[] chosen = new long[wanted];
        int n = 0;
        for (long k = 0; n < wanted && k < 4L * keys; k++)
        {
            if (owner.equals(caller.getPartitionService().getPartition(k).getOwner()))
            {
                chosen[n++] = k;
            }
        }
        return java.util.Arrays.copyOf(chosen, n);
    }

    /** Adds 1 to every element: the IMap counterpart of a push. */
    static final class AddProcessor implements EntryProcessor<Long, float[], Object>, Serializable
    {
        private static final long serialVersionUID = 1L;
        private final int dim;

        AddProcessor(final int dim)
        {
            this.dim = dim;
        }

        @Override
        public Object process(final Map.Entry<Long, float[]> entry)
        {
            final float[] value = entry.getValue() == null ? new float[dim] : entry.getValue();
            for (int i = 0; i < value.length; i++)
            {
                value[i] += 1f;
            }
            entry.setValue(value);
            return null;
        }
    }
}
