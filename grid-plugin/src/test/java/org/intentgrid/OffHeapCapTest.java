package org.intentgrid;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member's native memory cap: filling a table past it fails the call at once (not after the request timeout),
 * with a message naming the member, the table, the bytes in use and the cap; what was created before keeps its
 * values and other tables keep working; no member holds more than its cap. The worker's member pushes only keys
 * whose home is the other member, so the refusal travels back over the wire. Dropping the full table returns its
 * memory: a new table then holds more than the full one could. Moving main copies into a full member
 * ({@code localize}) is refused by the call before anything moves, and goes through once memory is freed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OffHeapCapTest
{
    private static final long CAP = 5L << 19;
    private static final int LENGTH = 64;
    private static final int BATCH = 500;
    /** 16,384 x 64 floats: 4.7 MB with slot headers; half of it is more than a 2.5 MiB cap holds (chunk rounding). */
    private static final int KEYS = 16_384;

    private ParameterGrid grid;

    @AfterEach
    void stop()
    {
        grid.close();
    }

    @Test
    void fillingMembersPastTheirCapFailsAtOnceAndLeavesEverythingElseWorking()
    {
        // no backups: the byte counts below are the tables' alone (backups of another member's keys count too)
        grid = ParameterGrid.start(GridConfig.embedded().members(2).maxOffHeapBytes(CAP).backups(0));
        final Table small = grid.table(TableSpec.of("cap-small", 64, 4));
        final Table big = grid.table(TableSpec.of("cap-big", KEYS, LENGTH));
        final GridMember other = grid.member(1);
        final long[] homedAtOther = Filling.keysHomedAt(other, big);
        try (ParameterWorker worker = grid.member(0).worker())
        {
            final long[] smallKeys = Filling.pushOnesToAll(worker, small);

            final float[] ones = new float[BATCH * LENGTH];
            Arrays.fill(ones, 1);
            final Filling.Result filled = Filling.fill(worker, big, homedAtOther, BATCH, ones);
            final OffHeapExhaustedException failure = filled.refusal;
            final int completedBatches = filled.fitted;
            assertNotNull(failure, "filling the other member's half of 16,384 keys x 64 floats past its 2.5 MiB cap " +
                "failed");
            assertTrue(filled.refusedAfterNanos < TimeUnit.SECONDS.toNanos(10),
                "the failing call failed at once, not after the request timeout: " +
                filled.refusedAfterNanos / 1_000_000 + " ms");
            final String message = failure.getMessage();
            assertTrue(message.contains("member " + other.id()) && message.contains("table 'cap-big'") &&
                message.contains("bytes in use") && message.contains("a cap of " + CAP) &&
                message.contains(GridConfig.MAX_OFFHEAP_BYTES_PROP_NAME), "the message names what and why: " + message);
            assertTrue(completedBatches > 0, "keys fit until the cap was reached");
            System.out.printf("%d batches of %d keys fit; then, after %d ms: %s%n", completedBatches, BATCH,
                filled.refusedAfterNanos / 1_000_000, message);

            for (final GridMember member : grid.members())
            {
                assertTrue(member.offHeapBytes() <= CAP, member + " holds " + member.offHeapBytes() + " bytes");
                assertEquals(member.offHeapBytes(), member.offHeapBytes(big) + member.offHeapBytes(small) +
                    member.backupStats().backupBytes(), "the member's bytes are its tables' and its backups' bytes");
                assertEquals(CAP, member.maxOffHeapBytes());
            }

            Filling.assertFittedKept(worker, big, homedAtOther, BATCH, completedBatches);
            Filling.pushOnesToAll(worker, small);
            final float[] smallValues = new float[smallKeys.length * 4];
            worker.pull(small, smallKeys, smallValues).await();
            for (int k = 0; k < smallKeys.length; k++)
            {
                assertEquals(TestGrids.initial(small, k, 3) + 2, smallValues[k * 4 + 3], "small table key " + k);
            }

            grid.drop(big);
            for (final GridMember member : grid.members())
            {
                assertEquals(member.offHeapBytes(small) + member.backupStats().backupBytes(), member.offHeapBytes(),
                    member + ": the dropped table's memory (and its backups') is freed when drop returns");
            }
            final IllegalStateException afterDrop = assertThrows(IllegalStateException.class,
                () -> worker.pull(big, batch(homedAtOther, 0), new float[BATCH * LENGTH]).await());
            assertTrue(afterDrop.getMessage().contains("'cap-big'") && afterDrop.getMessage().contains("dropped"),
                afterDrop.getMessage());
            final Table next = grid.table(TableSpec.of("cap-big", KEYS, LENGTH));
            assertEquals(1, next.spec().incarnation(), "the dropped name makes a new table");
            for (int b = 0; b < completedBatches; b++)
            {
                worker.push(next, batch(homedAtOther, b), ones).await();
            }
            final int full = completedBatches;
            final OffHeapExhaustedException again = assertThrows(OffHeapExhaustedException.class,
                () -> worker.push(next, batch(homedAtOther, full), ones).await(),
                "the new table of the name fills the freed memory as the dropped one did, and the cap still holds");
            assertTrue(again.getMessage().contains("table 'cap-big'"), again.getMessage());
            assertTrue(other.offHeapBytes() <= CAP, "the cap still holds: " + other.offHeapBytes());
            worker.pull(small, smallKeys, smallValues).await();
            assertEquals(TestGrids.initial(small, 5, 3) + 2, smallValues[5 * 4 + 3], "the small table is untouched");
        }
    }

    @Test
    void localizingIntoAFullMemberFailsAtTheCallAndMovesNothing()
    {
        grid = ParameterGrid.start(GridConfig.embedded().members(2).maxOffHeapBytes(CAP).backups(0));
        final Table filler = grid.table(TableSpec.of("cap-filler", KEYS, LENGTH));
        final Table moved = grid.table(TableSpec.of("cap-moved", KEYS, LENGTH));
        final GridMember full = grid.member(0);
        final long[] wanted = batch(Filling.keysHomedAt(grid.member(1), moved), 0);
        try (ParameterWorker worker = full.worker())
        {
            final float[] ones = new float[BATCH * LENGTH];
            Arrays.fill(ones, 1);
            worker.push(moved, wanted, ones).await();
            // the same chunk size for both tables (same size and length): a member that has no room for another
            // chunk of the filler has none for the first chunks of the moved table either
            assertNotNull(Filling.fill(worker, filler, Filling.keysHomedAt(full, filler), BATCH, ones).refusal,
                "the filler reached the cap");
            final long bytesBefore = full.offHeapBytes();

            final long start = System.nanoTime();
            final OffHeapExhaustedException refusal = assertThrows(OffHeapExhaustedException.class,
                () -> worker.localize(moved, wanted), "localize into a member at its cap is refused by the call");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "refused at once");
            final String message = refusal.getMessage();
            assertTrue(message.contains("member " + full.id()) && message.contains("table 'cap-moved'") &&
                message.contains("bytes in use") && message.contains("a cap of " + CAP), message);
            assertEquals(bytesBefore, full.offHeapBytes(), "nothing was created on the full member");
            final float[] value = new float[LENGTH];
            for (final long key : wanted)
            {
                assertTrue(!worker.pullIfLocal(moved, key, value, 0), "key " + key + " stayed at its home");
            }
            final float[] values = new float[BATCH * LENGTH];
            worker.pull(moved, wanted, values).await();
            for (int i = 0; i < wanted.length; i++)
            {
                assertEquals(TestGrids.initial(moved, wanted[i], 0) + 1, values[i * LENGTH], "key " + wanted[i]);
            }

            grid.drop(filler);
            worker.localize(moved, wanted).await();
            for (final long key : wanted)
            {
                assertTrue(worker.pullIfLocal(moved, key, value, 0), "key " + key + " moved once there was room");
                assertEquals(TestGrids.initial(moved, key, 0) + 1, value[0], "key " + key + " kept its value");
            }
        }
    }

    private static long[] batch(final long[] keys, final int index)
    {
        return Filling.batch(keys, BATCH, index);
    }
}
