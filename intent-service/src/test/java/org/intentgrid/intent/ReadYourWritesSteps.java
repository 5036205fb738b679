package org.intentgrid.intent;

import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One worker's steps for read-your-writes tests: each step pushes a positive amount (1 to 4, seeded by the worker's
 * id) to every element of every key, pulls the keys back, records a violation for each key read below the sum of the
 * worker's own pushes, and advances the worker's clock. Other workers' pushes may show in a read; less than its own
 * may not.
 */
final class ReadYourWritesSteps
{
    private final ParameterWorker worker;
    private final Table table;
    private final long[] keys;
    private final int id;
    private final float[] own;
    private final ConcurrentLinkedQueue<String> violations;
    private final SplittableRandom random;
    private final float[] update;
    private final float[] read;
    private int step;

    /**
     * @param id         the worker's number, for the seed and the violations' text
     * @param own        receives the sum of the worker's pushes per key (index as in {@code keys})
     * @param violations receives one line per read below the worker's own pushes
     */
    ReadYourWritesSteps(final ParameterWorker worker, final Table table, final long[] keys, final int id,
        final float[] own, final ConcurrentLinkedQueue<String> violations)
    {
        this.worker = worker;
        this.table = table;
        this.keys = keys;
        this.id = id;
        this.own = own;
        this.violations = violations;
        this.random = new SplittableRandom(id);
        this.update = new float[keys.length * table.valueLength()];
        this.read = new float[update.length];
    }

    /** Runs {@code count} steps. */
    void run(final int count)
    {
        final int length = table.valueLength();
        for (int i = 0; i < count; i++, step++)
        {
            for (int k = 0; k < keys.length; k++)
            {
                final float amount = 1 + random.nextInt(4);
                Arrays.fill(update, length * k, length * (k + 1), amount);
                own[k] += amount;
            }
            worker.push(table, keys, update).await();
            worker.pull(table, keys, read).await();
            for (int k = 0; k < keys.length; k++)
            {
                if (read[length * k] < own[k])
                {
                    violations.add("member " + id + " step " + step + " key " + keys[k] + ": read " +
                        read[length * k] + " < own pushes " + own[k]);
                }
            }
            worker.advanceClock();
        }
    }

    /** @return steps run so far */
    int steps()
    {
        return step;
    }
}
