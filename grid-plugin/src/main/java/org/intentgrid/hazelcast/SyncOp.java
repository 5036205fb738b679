package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import org.intentgrid.internal.SyncBatch;
import org.intentgrid.internal.SyncBatchReply;

import java.io.IOException;

/** One sync message: a requester's entries for the keys it believes this member owns. */
final class SyncOp extends GridOperation
{
    private int channel;
    private long requestId;
    private SyncBatch[] batches;
    private SyncBatchReply[] replies;

    SyncOp()
    {
    }

    SyncOp(final int channel, final SyncBatch[] batches, final long requestId)
    {
        this.channel = channel;
        this.batches = batches;
        this.requestId = requestId;
    }

    @Override
    public void run()
    {
        replies = runtime().serveSync(channel, batches, getCallerUuid(), requestId);
    }

    @Override
    public Object getResponse()
    {
        return new SyncReplyMessage(replies);
    }

    @Override
    public int getClassId()
    {
        return GridSerializerHook.SYNC_OP;
    }

    @Override
    protected void writeInternal(final ObjectDataOutput out) throws IOException
    {
        out.writeInt(channel);
        out.writeLong(requestId);
        out.writeInt(batches.length);
        for (final SyncBatch batch : batches)
        {
            Wire.writeSpec(out, batch.spec);
            out.writeLongArray(batch.keys);
            out.writeByteArray(batch.flags);
            out.writeFloatArray(batch.deltas);
            out.writeLongArray(batch.versions);
        }
    }

    @Override
    protected void readInternal(final ObjectDataInput in) throws IOException
    {
        channel = in.readInt();
        requestId = in.readLong();
        batches = new SyncBatch[in.readInt()];
        for (int i = 0; i < batches.length; i++)
        {
            batches[i] = new SyncBatch(Wire.readSpec(in), in.readLongArray(), in.readByteArray(), in.readFloatArray(),
                in.readLongArray());
        }
    }
}
