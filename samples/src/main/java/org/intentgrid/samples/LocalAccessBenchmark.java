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

import java.util.concurrent.TimeUnit;

/**
 * The local fast path: one key pulled and pushed through a worker, against the same work on a plain
 * {@code float[][]} table (copy out, add in). Run by {@code bin/intentgrid bench local}. The plain
 * baseline ignores {@code finiteCheck}; it is measured under both settings as a control for noise.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LocalAccessBenchmark
{
    private static final int KEYS = 4096;

    @Param({"16", "64", "256"})
    public int valueLength;

    /** Whether pushes are checked for NaN and infinity (the default; {@code GridConfig.allowNonFinite}). */
    @Param({"true", "false"})
    public boolean finiteCheck;

    private ParameterGrid grid;
    private ParameterWorker worker;
    private Table table;
    private float[][] plain;
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
        key[0] = next++ & (KEYS - 1);
        worker.pull(table, key, buffer);
        worker.push(table, key, update);
        return buffer[0];
    }

    @Benchmark
    public float plainArrayCopyAdd()
    {
        final float[] row = plain[next++ & (KEYS - 1)];
        System.arraycopy(row, 0, buffer, 0, valueLength);
        for (int i = 0; i < valueLength; i++)
        {
            row[i] += update[i];
        }
        return buffer[0];
    }
}
