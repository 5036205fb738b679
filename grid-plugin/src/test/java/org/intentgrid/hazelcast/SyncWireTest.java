package org.intentgrid.hazelcast;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import org.intentgrid.Init;
import org.intentgrid.TableSpec;
import org.intentgrid.internal.SyncBatch;
import org.intentgrid.internal.SyncBatchReply;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sync messages' encoding: value arrays written last, smallest first, and read back in their own order; a table's
 * spec with its incarnation.
 */
class SyncWireTest
{
    private final InternalSerializationService serialization = new DefaultSerializationServiceBuilder().build();

    private static float[] floats(final int length, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)random.nextGaussian();
        }
        return values;
    }

    @Test
    void valueArraysComeBackInTheirOrderWhateverTheirSizes() throws IOException
    {
        final float[][] arrays = {floats(40_000, 1), floats(0, 2), floats(7, 3), floats(40_000, 4), floats(300, 5)};
        final ObjectDataOutput out = serialization.createObjectDataOutput();
        out.writeInt(42);
        Wire.writeFloatArraysLast(out, arrays);
        final ObjectDataInput in = serialization.createObjectDataInput(out.toByteArray());
        assertEquals(42, in.readInt());
        final float[][] read = Wire.readFloatArraysLast(in, arrays.length);
        for (int i = 0; i < arrays.length; i++)
        {
            assertArrayEquals(arrays[i], read[i], "array " + i);
        }
    }

    @Test
    void aTableSpecKeepsItsIncarnationOnTheWire() throws IOException
    {
        final TableSpec spec = TableSpec.of("wired", 1_000, 8).init(Init.normal(0, 0.1, 5)).incarnation(3);
        final ObjectDataOutput out = serialization.createObjectDataOutput();
        Wire.writeSpec(out, spec);
        final TableSpec read = Wire.readSpec(serialization.createObjectDataInput(out.toByteArray()));
        assertEquals(spec, read);
        assertEquals(3, read.incarnation());
        assertEquals(spec.id(), read.id(), "a late message of one incarnation is never taken for another");
    }

    @Test
    void aHotLaneMessageStaysUrgentOnTheWire() throws IOException
    {
        for (final boolean urgent : new boolean[] {true, false})
        {
            final ObjectDataOutput out = serialization.createObjectDataOutput();
            new SyncOp(3, new SyncBatch[0], 99, urgent).writeData(out);
            final SyncOp read = new SyncOp();
            read.readData(serialization.createObjectDataInput(out.toByteArray()));
            assertEquals(urgent, read.isUrgent(), "Hazelcast queues an urgent message ahead, both ways");
        }
    }

    @Test
    void aRepeatedOrOutOfRangeArrayIndexIsACorruptMessage() throws IOException
    {
        for (final int[] indices : new int[][] {{0, 0}, {0, 2}, {-1, 1}})
        {
            final ObjectDataOutput out = serialization.createObjectDataOutput();
            for (final int index : indices)
            {
                out.writeInt(index);
                out.writeFloatArray(floats(3, index));
            }
            final ObjectDataInput in = serialization.createObjectDataInput(out.toByteArray());
            final IOException e = assertThrows(IOException.class, () -> Wire.readFloatArraysLast(in, 2));
            assertTrue(e.getMessage().contains("value array index"), e.getMessage());
        }
    }

    @Test
    void syncRepliesSurviveTheRoundTrip()
    {
        final UUID hint = new UUID(3, 4);
        final SyncBatchReply big = new SyncBatchReply(new byte[] {SyncBatchReply.SERVED | SyncBatchReply.VALUE, 0},
            floats(200, 6), new long[] {9, -1}, new long[] {0, 0}, new UUID[] {null, hint});
        big.backupFlushes(11, 10);
        final SyncBatchReply small = new SyncBatchReply(new byte[] {SyncBatchReply.SERVED}, new float[0],
            new long[] {5}, new long[] {2}, new UUID[] {null});
        final Data data = serialization.toData(new SyncReplyMessage(new SyncBatchReply[] {big, small}));
        final SyncBatchReply[] read = ((SyncReplyMessage)serialization.toObject(data)).replies;

        assertEquals(2, read.length);
        for (int r = 0; r < 2; r++)
        {
            final SyncBatchReply expected = r == 0 ? big : small;
            assertArrayEquals(expected.status, read[r].status);
            assertArrayEquals(expected.values, read[r].values);
            assertArrayEquals(expected.versions, read[r].versions);
            assertArrayEquals(expected.counters, read[r].counters);
            assertArrayEquals(expected.hints, read[r].hints);
            assertEquals(expected.backupFlush(), read[r].backupFlush());
            assertEquals(expected.backupCompleted(), read[r].backupCompleted());
        }
    }
}
