package org.intentgrid;

import java.util.Arrays;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fills a table in batches of keys until a member has no room: what the tests of memory limits share.
 */
public final class Filling
{
    /** Batches that fitted, and the refusal of the first that did not (null if every batch fitted). */
    public static final class Result
    {
        /** Batches that fitted. */
        public final int fitted;
        /** The refusal, or null. */
        public final OffHeapExhaustedException refusal;
        /** How long the refused call took, in nanoseconds. */
        public final long refusedAfterNanos;

        private Result(final int fitted, final OffHeapExhaustedException refusal, final long refusedAfterNanos)
        {
            this.fitted = fitted;
            this.refusal = refusal;
            this.refusedAfterNanos = refusedAfterNanos;
        }
    }

    private Filling()
    {
    }

    /**
     * Pushes {@code ones} to batches of {@code batch} of {@code keys}, in order, until a push is refused for want of
     * memory or the keys run out.
     */
    public static Result fill(
        final ParameterWorker worker, final Table table, final long[] keys, final int batch, final float[] ones)
    {
        int fitted = 0;
        while ((fitted + 1) * batch <= keys.length)
        {
            final long start = System.nanoTime();
            try
            {
                worker.push(table, batch(keys, batch, fitted), ones).await();
                fitted++;
            }
            catch (final OffHeapExhaustedException e)
            {
                return new Result(fitted, e, System.nanoTime() - start);
            }
        }
        return new Result(fitted, null, 0);
    }

    /** @return the keys of {@code table} whose home is {@code member}, in order */
    public static long[] keysHomedAt(final GridMember member, final Table table)
    {
        return LongStream.range(0, table.size()).filter(k -> member.isHome(table, k)).toArray();
    }

    /** Adds 1 to every element of every key of a small {@code table}; returns its keys. */
    public static long[] pushOnesToAll(final ParameterWorker worker, final Table table)
    {
        final long[] keys = new long[Math.toIntExact(table.size())];
        Arrays.setAll(keys, k -> k);
        final float[] ones = new float[keys.length * table.valueLength()];
        Arrays.fill(ones, 1);
        worker.push(table, keys, ones).await();
        return keys;
    }

    /** Checks that the keys of the first {@code fitted} batches hold their initial values plus the one pushed. */
    public static void assertFittedKept(
        final ParameterWorker worker, final Table table, final long[] keys, final int batch, final int fitted)
    {
        final int length = table.valueLength();
        final float[] values = new float[batch * length];
        for (int b = 0; b < fitted; b++)
        {
            final long[] batchKeys = batch(keys, batch, b);
            worker.pull(table, batchKeys, values).await();
            for (int i = 0; i < batchKeys.length; i++)
            {
                assertEquals(TestGrids.initial(table, batchKeys[i], 0) + 1, values[i * length], "key " + batchKeys[i]);
            }
        }
    }

    /** @return batch number {@code index} of {@code keys} */
    public static long[] batch(final long[] keys, final int batch, final int index)
    {
        return Arrays.copyOfRange(keys, index * batch, (index + 1) * batch);
    }
}
