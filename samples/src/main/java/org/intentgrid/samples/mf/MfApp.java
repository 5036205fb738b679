package org.intentgrid.samples.mf;

import org.intentgrid.Init;
import org.intentgrid.OpHandle;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.samples.train.EpochContext;
import org.intentgrid.samples.train.Shuffle;
import org.intentgrid.samples.train.Tables;
import org.intentgrid.samples.train.TrainingApp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Matrix factorization by distributed SGD (Gemulla et al. 2011): rows and columns fall into as many blocks as
 * there are workers, balanced by entry count ({@link Blocks}); in sub-epoch {@code k} worker {@code w} trains on
 * block (w, w + k mod W), so no two workers touch the same row or column at once (a Latin-square schedule), with
 * a barrier between sub-epochs. Loss: squared error plus L2 on every factor an entry touches (so rows and columns
 * are regularized in proportion to their frequency). Steps: AdaGrad (its squared-gradient sums stored next to
 * each factor, so one pull and one push move both) or plain SGD as in the reference system; either way the base
 * rate is adjusted per epoch by the bold driver (x1.05 after an improving epoch, x0.5 otherwise). Each worker
 * intends its rows for the whole run and each sub-epoch's columns at its start.
 */
final class MfApp implements TrainingApp
{
    /** How a gradient becomes an update. */
    enum Optimizer
    {
        /** Per-coordinate rates from the sum of squared gradients (twice the floats per key). */
        ADAGRAD,
        /** The plain step {@code -rate * gradient}, as the reference system trains. */
        SGD;

        static Optimizer parse(final String text)
        {
            for (final Optimizer optimizer : values())
            {
                if (optimizer.name().equalsIgnoreCase(text))
                {
                    return optimizer;
                }
            }
            throw new IllegalArgumentException("unknown optimizer '" + text + "'; expected adagrad or sgd");
        }

        /** @return floats per key: the factor, and for AdaGrad its squared-gradient sums */
        int valueLength(final int rank)
        {
            return this == ADAGRAD ? 2 * rank : rank;
        }
    }

    private static final double ADAGRAD_EPSILON = 1e-10;
    /** Ints per entry in a block: row, column, value bits. */
    private static final int ENTRY_WIDTH = 3;
    /** Epochs the bold driver's loss table holds. */
    private static final int MAX_EPOCHS = 1 << 16;

    private final Entries train;
    private final Entries test;
    private final int rank;
    private final Optimizer optimizer;
    private final int valueLength;
    private final double initialRate;
    private final double regularization;
    private final long seed;
    private final String dataset;
    /** Workers (by index) that signalled their rows' intents in this run (a resumed run starts past epoch 1). */
    private final Set<Integer> intending = ConcurrentHashMap.newKeySet();
    /**
     * Each epoch's summed training loss over all workers, key = epoch: in the grid, so that the bold driver sees
     * every member's workers and a checkpoint carries its state.
     */
    private Table lossTable;
    private Table rowTable;
    private Table columnTable;
    /**
     * Entries per (row block, column block), interleaved as (row, column, value bits) and reshuffled in place each
     * epoch by the block's worker: the training pass then reads entries in memory order instead of gathering
     * each entry's row, column and value from three arrays at random positions (three cache misses per example).
     */
    private int[][][] blocks;
    /** The row (column) keys of each block, ascending: what a worker intends for its block. */
    private long[][] rowKeysOfBlock;
    private long[][] columnKeysOfBlock;

    MfApp(
        final Entries train, final Entries test, final int rank, final Optimizer optimizer, final double initialRate,
        final double regularization, final long seed, final String dataset)
    {
        this.train = train;
        this.test = test;
        this.rank = rank;
        this.optimizer = optimizer;
        this.valueLength = optimizer.valueLength(rank);
        this.initialRate = initialRate;
        this.regularization = regularization;
        this.seed = seed;
        this.dataset = dataset;
    }

    @Override
    public String name()
    {
        return "mf";
    }

    @Override
    public String dataset()
    {
        return dataset;
    }

    @Override
    public String qualityMetric()
    {
        return "test_rmse";
    }

    @Override
    public boolean higherIsBetter()
    {
        return false;
    }

    @Override
    public long examplesPerEpoch()
    {
        return train.size();
    }

    @Override
    public void initialize(final ParameterGrid grid)
    {
        try (ParameterWorker w = grid.worker())
        {
            initialize(w, rowTable, train.rows, rank, seed);
            initialize(w, columnTable, train.columns, rank, seed + 1);
        }
    }

    @Override
    public void declare(final ParameterGrid grid, final int workers, final String tablePrefix)
    {
        rowTable = grid.table(TableSpec.of(tablePrefix + "mf-rows", train.rows, valueLength));
        columnTable = grid.table(TableSpec.of(tablePrefix + "mf-columns", train.columns, valueLength));
        lossTable = grid.table(TableSpec.of(tablePrefix + "mf-epoch-loss", MAX_EPOCHS + 1, 1).init(Init.zeros()));
        final int[] blockOfRow = Blocks.assign(train.row, train.rows, workers);
        final int[] blockOfColumn = Blocks.assign(train.column, train.columns, workers);
        rowKeysOfBlock = new long[workers][];
        columnKeysOfBlock = new long[workers][];
        for (int b = 0; b < workers; b++)
        {
            rowKeysOfBlock[b] = Blocks.keysOf(blockOfRow, b);
            columnKeysOfBlock[b] = Blocks.keysOf(blockOfColumn, b);
        }
        final int[][] counts = new int[workers][workers];
        for (int e = 0; e < train.size(); e++)
        {
            counts[blockOfRow[train.row[e]]][blockOfColumn[train.column[e]]]++;
        }
        blocks = new int[workers][workers][];
        for (int r = 0; r < workers; r++)
        {
            for (int c = 0; c < workers; c++)
            {
                blocks[r][c] = new int[ENTRY_WIDTH * counts[r][c]];
                counts[r][c] = 0;
            }
        }
        for (int e = 0; e < train.size(); e++)
        {
            final int r = blockOfRow[train.row[e]];
            final int c = blockOfColumn[train.column[e]];
            final int at = ENTRY_WIDTH * counts[r][c]++;
            blocks[r][c][at] = train.row[e];
            blocks[r][c][at + 1] = train.column[e];
            blocks[r][c][at + 2] = Float.floatToRawIntBits(train.value[e]);
        }
    }

    /**
     * Sets the first {@code rank} floats of each of the {@code count} keys of {@code table} uniformly at random in
     * {@code ±rank^-1/4} (so that a row-column product starts at unit scale) and the rest of each value to zero.
     */
    static void initialize(final ParameterWorker w, final Table table, final int count, final int rank,
        final long initSeed)
    {
        final int valueLength = table.valueLength();
        final SplittableRandom random = new SplittableRandom(initSeed);
        final double scale = 1.0 / Math.sqrt(Math.sqrt(rank));
        final long[] keys = new long[count];
        final float[] values = new float[count * valueLength];
        for (int k = 0; k < count; k++)
        {
            keys[k] = k;
            for (int j = 0; j < rank; j++)
            {
                values[k * valueLength + j] = (float)(scale * (random.nextDouble() * 2 - 1));
            }
        }
        w.set(table, keys, values).await();
    }

    /** @return the bold driver's base rate for {@code epoch}, from the training losses of the epochs before */
    private double rateFor(final ParameterWorker worker, final int epoch)
    {
        if (epoch > MAX_EPOCHS)
        {
            throw new IllegalArgumentException("mf trains at most " + MAX_EPOCHS + " epochs; asked for epoch " + epoch);
        }
        final long[] epochs = new long[epoch];
        for (int e = 0; e < epoch; e++)
        {
            epochs[e] = e;
        }
        final float[] losses = new float[epoch];
        worker.pull(lossTable, epochs, losses).await();
        double rate = initialRate;
        for (int e = 2; e < epoch; e++)
        {
            rate *= losses[e] < losses[e - 1] ? 1.05 : 0.5;
        }
        return rate;
    }

    @Override
    public double[] trainEpoch(final EpochContext context)
    {
        final ParameterWorker worker = context.worker();
        final int workers = context.workers();
        final int me = context.workerIndex();
        final double rate = rateFor(worker, context.epoch());
        if (intending.add(me))
        {
            worker.intent(rowTable, rowKeysOfBlock[me], worker.clock(), Long.MAX_VALUE);
        }
        final SplittableRandom random = context.random(seed);
        final long[] rowKey = new long[1];
        final long[] columnKey = new long[1];
        final float[] rowValue = new float[valueLength];
        final float[] columnValue = new float[valueLength];
        final float[] rowUpdate = new float[valueLength];
        final float[] columnUpdate = new float[valueLength];
        final boolean adagrad = optimizer == Optimizer.ADAGRAD;
        double loss = 0;
        for (int k = 0; k < workers; k++)
        {
            final int columnBlock = (me + k) % workers;
            final int[] entries = blocks[me][columnBlock];
            final int count = entries.length / ENTRY_WIDTH;
            Shuffle.groups(entries, ENTRY_WIDTH, random);
            // exactly the clocks of this sub-epoch: an intent left active at the switch would make the column's
            // owner replicate it to the next worker before relocating it there
            worker.intent(columnTable, columnKeysOfBlock[columnBlock], worker.clock(),
                worker.clock() + count);
            for (int n = 0; n < count; n++)
            {
                rowKey[0] = entries[ENTRY_WIDTH * n];
                columnKey[0] = entries[ENTRY_WIDTH * n + 1];
                final float value = Float.intBitsToFloat(entries[ENTRY_WIDTH * n + 2]);
                final OpHandle rowPull = worker.pull(rowTable, rowKey, rowValue);
                final OpHandle columnPull = worker.pull(columnTable, columnKey, columnValue);
                rowPull.await();
                columnPull.await();
                final double error = error(rowValue, 0, columnValue, 0, rank, value);
                loss += error * error;
                if (adagrad)
                {
                    for (int j = 0; j < rank; j++)
                    {
                        final double gw = error * columnValue[j] + regularization * rowValue[j];
                        final double gh = error * rowValue[j] + regularization * columnValue[j];
                        rowUpdate[j] = (float)(-rate * gw / Math.sqrt(rowValue[rank + j] + gw * gw + ADAGRAD_EPSILON));
                        rowUpdate[rank + j] = (float)(gw * gw);
                        columnUpdate[j] = (float)(-rate * gh / Math.sqrt(columnValue[rank + j] + gh * gh +
                            ADAGRAD_EPSILON));
                        columnUpdate[rank + j] = (float)(gh * gh);
                    }
                }
                else
                {
                    sgd(rowValue, 0, columnValue, 0, rank, error, rate, regularization, rowUpdate, columnUpdate);
                }
                worker.push(rowTable, rowKey, rowUpdate);
                worker.push(columnTable, columnKey, columnUpdate);
                worker.advanceClock();
                if ((n & 255) == 255)
                {
                    context.progress(256);
                }
            }
            context.progress(count & 255);
            context.awaitAllWorkers();
        }
        worker.push(lossTable, new long[] {context.epoch()}, new float[] {(float)loss}).await();
        int mine = 0;
        for (final int[] block : blocks[me])
        {
            mine += block.length / ENTRY_WIDTH;
        }
        return new double[] {loss, mine};
    }

    /** The interrupted attempt's partial loss would make the bold driver judge the epoch by a fraction of it. */
    @Override
    public void beforeRepeat(final ParameterGrid grid, final int epoch)
    {
        try (ParameterWorker worker = grid.worker())
        {
            worker.set(lossTable, new long[] {epoch}, new float[1]).await();
        }
    }

    @Override
    public Map<String, Object> evaluate(final ParameterGrid grid)
    {
        final float[] rows = Tables.leading(grid, rowTable, train.rows, rank);
        final float[] columns = Tables.leading(grid, columnTable, train.columns, rank);
        final Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_rmse", rmse(test, rows, columns, rank));
        metrics.put("train_rmse", rmse(train, rows, columns, rank));
        return metrics;
    }

    /** @return the root mean squared error of the factors ({@code rank} floats per row and column) on the entries */
    static double rmse(final Entries entries, final float[] rows, final float[] columns, final int rank)
    {
        double sum = 0;
        for (int e = 0; e < entries.size(); e++)
        {
            final double error = error(rows, entries.row[e] * rank, columns, entries.column[e] * rank, rank,
                entries.value[e]);
            sum += error * error;
        }
        return Math.sqrt(sum / entries.size());
    }

    /**
     * @return the product of the row factors at {@code rows[r ..]} and the column factors at {@code columns[c ..]},
     *         less {@code value}
     */
    static double error(final float[] rows, final int r, final float[] columns, final int c, final int rank,
        final float value)
    {
        double prediction = 0;
        for (int j = 0; j < rank; j++)
        {
            prediction += rows[r + j] * columns[c + j];
        }
        return prediction - value;
    }

    /**
     * Writes a plain SGD step on the squared {@code error} with L2 weight {@code regularization} into
     * {@code rowUpdates[r ..]} and {@code columnUpdates[c ..]}, for the factors at {@code rows[r ..]} and
     * {@code columns[c ..]}.
     */
    static void sgd(final float[] rows, final int r, final float[] columns, final int c, final int rank,
        final double error, final double rate, final double regularization, final float[] rowUpdates,
        final float[] columnUpdates)
    {
        for (int j = 0; j < rank; j++)
        {
            final double gw = error * columns[c + j] + regularization * rows[r + j];
            final double gh = error * rows[r + j] + regularization * columns[c + j];
            rowUpdates[r + j] = (float)(-rate * gw);
            columnUpdates[c + j] = (float)(-rate * gh);
        }
    }
}
