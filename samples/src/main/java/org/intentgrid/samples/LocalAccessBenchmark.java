package org.intentgrid.samples;

import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.StampedLock;

/**
 * The local fast path: one key pulled and pushed through a worker, against the same work on a plain
 * {@code float[][]} table (copy out, add in) and on that table under a lock per stripe (what per-key atomicity
 * costs by itself), with the keys in order and in a seeded random order (a hashed store visits its slots in no
 * order a prefetcher follows whatever the key order; a {@code float[][]} walked in order is prefetched). Run by
 * {@code bin/intentgrid bench local}. The baselines ignore {@code finiteCheck}; they are measured under both
 * settings as a control for noise.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LocalAccessBenchmark
{
    private static final int KEYS = 4096;
    /** As many as the grid's store gives a table of {@link #KEYS} keys: one per 64 keys. */
    private static final int LOCKS = KEYS / 64;

    @Param({"16", "64", "256"})
    public int valueLength;

    /** Whether pushes are checked for NaN and infinity (the default; {@code GridConfig.allowNonFinite}). */
    @Param({"true", "false"})
    public boolean finiteCheck;

    private ParameterGrid grid;
    private ParameterWorker worker;
    private Table table;
    private float[][] plain;
    /** The keys in a seeded random order: {@code ...Shuffled} methods visit memory in no order a prefetcher follows. */
    private final int[] shuffled = new int[KEYS];
    private final StampedLock[] locks = new StampedLock[LOCKS];
    private final long[] key = new long[1];
    private float[] buffer;
    private float[] update;
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        IntentGridCli.quietHazelcast();
        grid = ParameterGrid.start(GridConfig.embedded().members(1).allowNonFinite(!finiteCheck));
        table = grid.table(TableSpec.of("bench-local-" + valueLength, KEYS, valueLength).init(Init.normal(0, 0.1, 1)));
        worker = grid.worker();
        buffer = new float[valueLength];
        update = new float[valueLength];
        final long[] all = new long[KEYS];
        for (int k = 0; k < KEYS; k++)
        {
            all[k] = k;
        }
        worker.pull(table, all, new float[KEYS * valueLength]).await();
        plain = new float[KEYS][valueLength];
        final SplittableRandom random = new SplittableRandom(42);
        for (int k = 0; k < KEYS; k++)
        {
            shuffled[k] = k;
        }
        for (int k = KEYS - 1; k > 0; k--)
        {
            final int other = random.nextInt(k + 1);
            final int swap = shuffled[k];
            shuffled[k] = shuffled[other];
            shuffled[other] = swap;
        }
        for (int i = 0; i < LOCKS; i++)
        {
            locks[i] = new StampedLock();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        worker.close();
        grid.close();
    }

    @Benchmark
    public float gridPullPush()
    {
        return pullPush(next++ & (KEYS - 1));
    }

    @Benchmark
    public float gridPullPushShuffled()
    {
        return pullPush(shuffled[next++ & (KEYS - 1)]);
    }

    private float pullPush(final long k)
    {
        key[0] = k;
        worker.pull(table, key, buffer);
        worker.push(table, key, update);
        return buffer[0];
    }

    @Benchmark
    public float plainArrayCopyAddShuffled()
    {
        return copyAdd(plain[shuffled[next++ & (KEYS - 1)]]);
    }

    @Benchmark
    public float plainArrayCopyAdd()
    {
        return copyAdd(plain[next++ & (KEYS - 1)]);
    }

    private float copyAdd(final float[] row)
    {
        System.arraycopy(row, 0, buffer, 0, valueLength);
        for (int i = 0; i < valueLength; i++)
        {
            row[i] += update[i];
        }
        return buffer[0];
    }

    /**
     * The plain copy and add with the per-key atomicity the grid's contract asks for and nothing else: the copy
     * under an optimistic read of the key's lock stripe, the add under its write lock. What the grid costs beyond
     * this is its values off the heap (copies where the plain add runs vectorized in place), its lookup, its checks
     * and its bookkeeping.
     */
    @Benchmark
    public float lockedArrayCopyAdd()
    {
        final int k = next++ & (KEYS - 1);
        final float[] row = plain[k];
        final StampedLock lock = locks[k & (LOCKS - 1)];
        final long read = lock.tryOptimisticRead();
        System.arraycopy(row, 0, buffer, 0, valueLength);
        if (!lock.validate(read))
        {
            final long stamp = lock.readLock();
            System.arraycopy(row, 0, buffer, 0, valueLength);
            lock.unlockRead(stamp);
        }
        final long stamp = lock.writeLock();
        try
        {
            for (int i = 0; i < valueLength; i++)
            {
                row[i] += update[i];
            }
        }
        finally
        {
            lock.unlockWrite(stamp);
        }
        return buffer[0];
    }
}
