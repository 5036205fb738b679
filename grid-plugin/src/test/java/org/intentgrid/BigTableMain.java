package org.intentgrid;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Run in a forked JVM by {@code LargeTableIT}: one embedded member fills a table whose values are larger than the
 * JVM's heap and its default direct-memory limit, then checks random keys. Prints {@code OK <offheap bytes>} and
 * exits 0, or prints the failure and exits 1.
 */
public final class BigTableMain
{
    private BigTableMain()
    {
    }

    /** @param args keys, floats per key */
    public static void main(final String[] args)
    {
        final int keys = Integer.parseInt(args[0]);
        final int length = Integer.parseInt(args[1]);
        final int batch = 256;
        try (ParameterGrid grid = TestGrids.start(1);
            ParameterWorker worker = grid.worker())
        {
            final Table table = grid.table(TableSpec.of("big", keys, length).init(Init.zeros()));
            final long[] batchKeys = new long[batch];
            final float[] values = new float[batch * length];
            for (int first = 0; first < keys; first += batch)
            {
                for (int i = 0; i < batch; i++)
                {
                    batchKeys[i] = first + i;
                    Arrays.fill(values, i * length, (i + 1) * length, first + i);
                }
                worker.push(table, batchKeys, values).await();
            }
            final SplittableRandom random = new SplittableRandom(3);
            final long[] one = new long[1];
            final float[] value = new float[length];
            for (int i = 0; i < 1000; i++)
            {
                one[0] = random.nextInt(keys);
                worker.pull(table, one, value).await();
                if (value[0] != one[0] || value[length - 1] != one[0])
                {
                    throw new IllegalStateException("key " + one[0] + " reads " + value[0] + " / " + value[length - 1]);
                }
            }
            System.out.println("OK " + grid.member(0).offHeapBytes());
        }
        catch (final RuntimeException | Error e)
        {
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }
}
