package org.intentgrid.jet;

import com.hazelcast.map.IMap;
import org.intentgrid.GridMember;
import org.intentgrid.KeyDistribution;
import org.intentgrid.OpHandle;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Sampling;
import org.intentgrid.Table;

import java.util.concurrent.TimeUnit;

/**
 * The counting job of the guarantee tests: every item {@code i} pushes +1 to key {@code i % keys} of a table of one
 * float per key, so the table's sum is the number of times items were trained.
 */
final class Counting
{
    private Counting()
    {
    }

    static TrainingStage<Integer> stage(final String table, final int keys, final int lookahead,
        final int itemsPerStep)
    {
        return TrainingStage.<Integer>builder("count")
            .keys(table, item -> new long[] {item % keys})
            .lookahead(lookahead)
            .itemsPerStep(itemsPerStep)
            .step(Counting::countStep)
            .build();
    }

    /**
     * The same counting with exactly-once training, its checkpoints in {@code directory}; one negative sample per
     * item from the same table (pulled, not updated), so that the table is both keyed and sampled.
     */
    static TrainingStage<Integer> exactlyOnceStage(final String table, final int keys, final int lookahead,
        final String directory)
    {
        return TrainingStage.<Integer>builder("count")
            .keys(table, item -> new long[] {item % keys})
            .negatives(table, 1, () -> Sampling.of(KeyDistribution.uniform(0, keys)))
            .lookahead(lookahead)
            .step(Counting::countStep)
            .checkpointDirectory(directory)
            .build();
    }

    private static double countStep(final StepBatch<Integer> batch)
    {
        for (int i = 0; i < batch.size(); i++)
        {
            batch.updates(0)[batch.offset(0, i, 0)] += 1;
        }
        return 0;
    }

    /** Sets every value of the table to zero. */
    static void reset(final ParameterGrid grid, final Table table)
    {
        try (ParameterWorker worker = grid.worker())
        {
            worker.set(table, allKeys(table), new float[(int)table.size()]).await();
        }
    }

    /** @return the sum of the table's values (see {@link #values} for a key that is not answered) */
    static double sum(final ParameterGrid grid, final Table table)
    {
        double sum = 0;
        for (final float v : values(grid, table))
        {
            sum += v;
        }
        return sum;
    }

    /**
     * @return the keys whose count differs from what items {@code 0 .. items-1} trained exactly once give them, with
     *         what each member holds of them: the message of a failed exactly-once check says where the update went
     */
    static String deviations(final ParameterGrid grid, final Table table, final int items)
    {
        final float[] values = values(grid, table);
        final StringBuilder found = new StringBuilder();
        for (int key = 0; key < values.length; key++)
        {
            final int expected = items / values.length + (key < items % values.length ? 1 : 0);
            if (values[key] != expected)
            {
                found.append("\nkey ").append(key).append(": ").append(values[key]).append(", expected ")
                    .append(expected).append(whereIs(grid, table, key));
            }
        }
        return found.length() == 0 ? "no key deviates" : found.toString();
    }

    /**
     * @return the table's values; a key whose pull is not answered within seconds is printed with what every member
     *         holds of it and what its home records (a test that then fails shows where it went)
     */
    private static float[] values(final ParameterGrid grid, final Table table)
    {
        final long[] keys = allKeys(table);
        final float[] values = new float[keys.length];
        try (ParameterWorker worker = grid.worker())
        {
            final OpHandle pull = worker.pull(table, keys, values);
            if (!pull.await(20, TimeUnit.SECONDS))
            {
                for (final long key : keys)
                {
                    if (!worker.pull(table, new long[] {key}, new float[1]).await(2, TimeUnit.SECONDS))
                    {
                        System.out.println("DIAG key " + key + ":" + whereIs(grid, table, key));
                    }
                }
                pull.await();
            }
        }
        return values;
    }

    /** @return per member, its copy of {@code key}, whether it is the key's home and whom its directory names */
    private static String whereIs(final ParameterGrid grid, final Table table, final long key)
    {
        final StringBuilder where = new StringBuilder();
        for (final GridMember m : grid.members())
        {
            where.append(" [").append(m.id()).append(" ").append(m.copyState(table, key)).append(" home=")
                .append(m.isHome(table, key)).append(" dir=").append(m.directoryOwner(table, key)).append("]");
        }
        return where.toString();
    }

    /**
     * Writes items {@code 0 .. items-1} into {@code stream} at {@code perSecond}, and halfway runs {@code halfway}
     * (a crash, typically) after noting the table's sum.
     *
     * @return the table's sum just before {@code halfway} ran
     */
    static double feed(final IMap<Integer, Integer> stream, final int items, final int perSecond,
        final ParameterGrid grid, final Table table, final Runnable halfway) throws InterruptedException
    {
        final long start = System.nanoTime();
        double before = 0;
        for (int i = 0; i < items; i++)
        {
            stream.set(i, i);
            if (i == items / 2)
            {
                before = sum(grid, table);
                halfway.run();
            }
            final long wait = start + (long)(i * 1e9 / perSecond) - System.nanoTime();
            if (wait > 0)
            {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        return before;
    }

    /**
     * @return the table's sum once it reached {@code items} and then stayed unchanged for two seconds, or the last
     *         sum seen after two minutes
     */
    static double awaitStable(final ParameterGrid grid, final Table table, final int items)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        double last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline)
        {
            final double now = sum(grid, table);
            if (now != last)
            {
                last = now;
                stableSince = System.nanoTime();
            }
            else if (now >= items && System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(2))
            {
                return now;
            }
            Thread.sleep(100);
        }
        return last;
    }

    private static long[] allKeys(final Table table)
    {
        final long[] keys = new long[(int)table.size()];
        for (int k = 0; k < keys.length; k++)
        {
            keys[k] = k;
        }
        return keys;
    }
}
