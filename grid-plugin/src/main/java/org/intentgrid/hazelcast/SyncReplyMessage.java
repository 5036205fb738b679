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
        for (final SyncBatchReply reply : replies)
        {
            out.writeByteArray(reply.status);
            out.writeFloatArray(reply.values);
            out.writeLongArray(reply.versions);
            out.writeLongArray(reply.counters);
            for (final UUID hint : reply.hints)
            {
                Wire.writeUuid(out, hint);
            }
            out.writeLong(reply.backupFlush());
            out.writeLong(reply.backupCompleted());
        }
    }

    @Override
    public void readData(final ObjectDataInput in) throws IOException
    {
        replies = new SyncBatchReply[in.readInt()];
        for (int r = 0; r < replies.length; r++)
        {
            final byte[] status = in.readByteArray();
            final float[] values = in.readFloatArray();
            final long[] versions = in.readLongArray();
            final long[] counters = in.readLongArray();
            final UUID[] hints = new UUID[status.length];
            for (int i = 0; i < hints.length; i++)
            {
                hints[i] = Wire.readUuid(in);
            }
            replies[r] = new SyncBatchReply(status, values, versions, counters, hints);
            replies[r].backupFlushes(in.readLong(), in.readLong());
        }
    }
}
