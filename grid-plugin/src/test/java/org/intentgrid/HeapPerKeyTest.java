package org.intentgrid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a stored key costs in heap (values are off-heap): the store's index and the home directory's record of the
 * key, measured over a million keys; and that their native memory is what {@link TableSpec#nativeBytesPerKey} says.
 * The heap target is 24 bytes; the bound leaves room for the noise of a shared test JVM (about 24 bytes are
 * measured).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HeapPerKeyTest
{
    private static final int KEYS = 1_000_000;
    private static final double BOUND_BYTES_PER_KEY = 48;

    @Test
    void aMillionKeysCostLittleHeap() throws Exception
    {
        try (ParameterGrid grid = TestGrids.start(1))
        {
            final long before = usedHeapAfterGc();
            final Table table = grid.table(TableSpec.of("heap-per-key", KEYS, 16));
            assertEquals(KEYS, grid.materializeAll(table));
            final long after = usedHeapAfterGc();
            final double perKey = (double)(after - before) / KEYS;
            System.out.printf("heap per stored key: %.1f bytes (%d keys, %d bytes off-heap)%n", perKey, KEYS,
                grid.member(0).offHeapBytes(table));
            assertTrue(perKey < BOUND_BYTES_PER_KEY, "heap per key " + perKey + " bytes; expected < " +
                BOUND_BYTES_PER_KEY);
            assertEquals(KEYS, grid.member(0).mainCopies(table));
            final long nativeBytes = grid.member(0).offHeapBytes(table);
            final long predicted = KEYS * table.spec().nativeBytesPerKey();
            assertEquals(48 + 16 * Float.BYTES, table.spec().nativeBytesPerKey(), "a 48-byte header and the value");
            assertTrue(nativeBytes >= predicted && nativeBytes < predicted * 1.3, "a million keys take " +
                nativeBytes + " bytes of native memory; nativeBytesPerKey predicts " + predicted + " and partly " +
                "filled chunks");
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
