package org.intentgrid.intent;

import org.intentgrid.GridMember;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replicas that nothing changes cost next to nothing: their channels' full rounds back off (before, two members
 * holding a few thousand unchanged replicas each ran hundreds of rounds per second over all of them, most of a
 * core). A change on either side still reaches the other copies, and {@code waitSync} still leaves every replica
 * equal to its main copy.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QuietReplicasTest
{
    private static final int KEYS = 4000;
    private static final int DIM = 4;
    /** Per member and second: a quiet channel waits up to 100 ms between rounds, so about ten. */
    private static final long MAX_QUIET_ROUNDS_PER_SECOND = 25;

    @Test
    void unchangedReplicasSlowTheirRoundsAndChangesStillArrive() throws Exception
    {
        try (ParameterGrid grid = Grids.start(2, Mode.ADAPTIVE))
        {
            final Table table = grid.table(TableSpec.of("quiet", KEYS, DIM));
            final long[] all = new long[KEYS];
            for (int k = 0; k < KEYS; k++)
            {
                all[k] = k;
            }
            final ParameterWorker owner = grid.member(0).worker();
            final ParameterWorker reader = grid.member(1).worker();
            for (final ParameterWorker w : new ParameterWorker[] {owner, reader})
            {
                w.intent(table, all, 1, Long.MAX_VALUE / 2);
                w.advanceClock();
            }
            for (final ParameterWorker w : new ParameterWorker[] {owner, reader})
            {
                w.waitSync();
            }
            final float[] values = new float[KEYS * DIM];
            for (final ParameterWorker w : new ParameterWorker[] {owner, reader})
            {
                w.pull(table, all, values).await();
                w.waitSync();
            }
            final long pulledBefore = reader.stats().keysPulled();
            final long localBefore = reader.stats().keysLocal();
            reader.pull(table, all, values).await();
            assertEquals(KEYS, reader.stats().keysLocal() - localBefore, "every key is local on the reader");
            assertEquals(KEYS, reader.stats().keysPulled() - pulledBefore);

            Thread.sleep(500);
            final long roundsBefore = rounds(grid);
            final long startNanos = System.nanoTime();
            Thread.sleep(1000);
            final double seconds = (System.nanoTime() - startNanos) / 1e9;
            final long quietRounds = rounds(grid) - roundsBefore;
            assertTrue(quietRounds <= MAX_QUIET_ROUNDS_PER_SECOND * 2 * seconds,
                "full rounds of 2 members in " + seconds + " s with nothing changed: " + quietRounds);

            final long key = Grids.homedOn(grid.member(0), table, 1)[0];
            final long[] one = {key};
            owner.push(table, one, new float[] {1, 2, 3, 4}).await();
            assertEquals(1f, awaitReplicaValue(reader, table, key, 1f), "the owner's push reaches the quiet replica");

            reader.push(table, one, new float[] {10, 10, 10, 10}).await();
            final float[] atOwner = new float[DIM];
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            do
            {
                owner.pull(table, one, atOwner).await();
            }
            while (atOwner[0] != 11f && System.nanoTime() < deadline);
            assertArrayEquals(new float[] {11, 12, 13, 14}, atOwner, "the replica's push reaches the main copy");

            owner.waitSync();
            reader.waitSync();
            final float[] atReader = new float[KEYS * DIM];
            final float[] atMain = new float[KEYS * DIM];
            reader.pull(table, all, atReader).await();
            owner.pull(table, all, atMain).await();
            assertArrayEquals(atMain, atReader, "after waitSync every copy on both members agrees");
            owner.close();
            reader.close();
        }
    }

    /** Polls the local copy of {@code key} until its first element is {@code expected} (30 s at most). */
    private static float awaitReplicaValue(
        final ParameterWorker worker, final Table table, final long key, final float expected) throws Exception
    {
        final float[] value = new float[DIM];
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline)
        {
            assertTrue(worker.pullIfLocal(table, key, value, 0), "the replica stays while intended");
            if (value[0] == expected)
            {
                break;
            }
            Thread.sleep(1);
        }
        return value[0];
    }

    private static long rounds(final ParameterGrid grid)
    {
        long n = 0;
        for (final GridMember member : grid.members())
        {
            n += member.syncStats().rounds();
        }
        return n;
    }
}
