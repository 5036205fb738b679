package org.intentgrid;

import java.io.IOException;
import java.util.Arrays;

/**
 * Run in a forked JVM by {@code MachineLimitIT}, inside a memory cgroup smaller than the table: one embedded member
 * with the given reserve creates every key of a table that does not fit. Prints {@code REFUSED <message>} when the
 * creation is refused, then checks that a table created before still reads and writes, prints {@code OK} and exits
 * 0; exits 2 if the creation was not refused, 1 on any other failure.
 * <p>
 * With {@code hold}, the table is expected to fit instead: prints {@code HOLDING} once it is created, keeps it until
 * its standard input closes, then checks the table created before and exits as above (2 if it was refused).
 */
public final class MachineLimitMain
{
    private MachineLimitMain()
    {
    }

    /**
     * @param args keys and floats per key of the table, the reserve in bytes or {@code auto}, and {@code hold} if the
     *             table should fit
     */
    public static void main(final String[] args)
    {
        final long keys = Long.parseLong(args[0]);
        final int length = Integer.parseInt(args[1]);
        final long reserve = args[2].equals("auto") ? GridConfig.MACHINE_MEMORY_RESERVE_AUTO : Long.parseLong(args[2]);
        final boolean hold = args.length > 3 && args[3].equals("hold");
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(1)
                .machineMemoryReserveBytes(reserve));
            ParameterWorker worker = grid.worker())
        {
            final Table kept = grid.table(TableSpec.of("kept", 64, 4).init(Init.zeros()));
            final long[] keptKeys = new long[64];
            Arrays.setAll(keptKeys, k -> k);
            final float[] ones = new float[keptKeys.length * 4];
            Arrays.fill(ones, 1);
            worker.push(kept, keptKeys, ones).await();
            final Table big = grid.table(TableSpec.of("too-big", keys, length).init(Init.zeros()));
            try
            {
                grid.materializeAll(big);
                if (!hold)
                {
                    System.out.println("NOT REFUSED: " + grid.member(0).offHeapBytes() + " bytes held");
                    System.exit(2);
                }
                System.out.println("HOLDING " + grid.member(0).offHeapBytes() + " bytes");
                System.out.flush();
                System.in.readAllBytes();
            }
            catch (final OffHeapExhaustedException e)
            {
                System.out.println("REFUSED " + e.getMessage());
                if (hold)
                {
                    System.exit(2);
                }
            }
            worker.push(kept, keptKeys, ones).await();
            final float[] values = new float[keptKeys.length * 4];
            worker.pull(kept, keptKeys, values).await();
            for (final float value : values)
            {
                if (value != 2)
                {
                    throw new IllegalStateException("a key of the table created before reads " + value + ", not 2");
                }
            }
            System.out.println("OK");
        }
        catch (final IOException | RuntimeException | Error e)
        {
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }
}
