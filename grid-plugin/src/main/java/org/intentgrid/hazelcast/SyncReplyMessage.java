package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import org.intentgrid.internal.SyncBatchReply;

import java.io.IOException;
import java.util.UUID;

/** The replies to a {@link SyncOp} as an operation response. */
final class SyncReplyMessage implements IdentifiedDataSerializable
{
    SyncBatchReply[] replies;

    SyncReplyMessage()
    {
    }

    SyncReplyMessage(final SyncBatchReply[] replies)
    {
        this.replies = replies;
    }

    @Override
    public int getFactoryId()
    {
        return GridSerializerHook.FACTORY_ID;
    }

    @Override
    public int getClassId()
    {
        return GridSerializerHook.SYNC_REPLY;
    }

    @Override
    public void writeData(final ObjectDataOutput out) throws IOException
    {
        out.writeInt(replies.length);
        final float[][] values = new float[replies.length][];
        for (int r = 0; r < replies.length; r++)
        {
            final SyncBatchReply reply = replies[r];
            out.writeByteArray(reply.status);
            out.writeLongArray(reply.versions);
            out.writeLongArray(reply.counters);
            for (final UUID hint : reply.hints)
            {
                Wire.writeUuid(out, hint);
            }
            out.writeLong(reply.backupFlush());
            out.writeLong(reply.backupCompleted());
            out.writeLongArray(reply.movedApplied());
            values[r] = reply.values;
        }
        Wire.writeFloatArraysLast(out, values);
    }

    @Override
    public void readData(final ObjectDataInput in) throws IOException
    {
        final int count = in.readInt();
        final byte[][] status = new byte[count][];
        final long[][] versions = new long[count][];
        final long[][] counters = new long[count][];
        final UUID[][] hints = new UUID[count][];
        final long[] flushes = new long[2 * count];
        final long[][] movedApplied = new long[count][];
        for (int r = 0; r < count; r++)
        {
            status[r] = in.readByteArray();
            versions[r] = in.readLongArray();
            counters[r] = in.readLongArray();
            hints[r] = new UUID[status[r].length];
            for (int i = 0; i < hints[r].length; i++)
            {
                hints[r][i] = Wire.readUuid(in);
            }
            flushes[2 * r] = in.readLong();
            flushes[2 * r + 1] = in.readLong();
            movedApplied[r] = in.readLongArray();
        }
        final float[][] values = Wire.readFloatArraysLast(in, count);
        replies = new SyncBatchReply[count];
        for (int r = 0; r < count; r++)
        {
            replies[r] = new SyncBatchReply(status[r], values[r], versions[r], counters[r], hints[r]);
            replies[r].backupFlushes(flushes[2 * r], flushes[2 * r + 1]);
            replies[r].movedApplied(movedApplied[r]);
        }
    }
}
