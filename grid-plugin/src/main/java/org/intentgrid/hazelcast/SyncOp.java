package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import org.intentgrid.TableSpec;
import org.intentgrid.internal.SyncBatch;
import org.intentgrid.internal.SyncBatchReply;

import java.io.IOException;

/**
 * One sync message: a requester's entries for the keys it believes this member owns. A hot-lane round's message is
 * urgent: Hazelcast writes it (and its response) ahead of queued packets and runs it on the priority generic thread,
 * so that it does not wait behind the megabytes of a full round, a backup flush or a checkpoint.
 */
final class SyncOp extends GridOperation
{
    private int channel;
    private boolean urgent;
    private long requestId;
    private SyncBatch[] batches;
    private SyncBatchReply[] replies;

    SyncOp()
    {
    }

    SyncOp(final int channel, final SyncBatch[] batches, final long requestId, final boolean urgent)
    {
        this.channel = channel;
        this.urgent = urgent;
        this.batches = batches;
        this.requestId = requestId;
    }

    @Override
    public void run()
    {
        replies = runtime().serveSync(channel, batches, getCallerUuid(), requestId);
    }

    @Override
    public boolean isUrgent()
    {
        return urgent;
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
        out.writeBoolean(urgent);
        out.writeLong(requestId);
        out.writeInt(batches.length);
        final float[][] deltas = new float[batches.length][];
        for (int i = 0; i < batches.length; i++)
        {
            final SyncBatch batch = batches[i];
            Wire.writeSpec(out, batch.spec);
            out.writeLongArray(batch.keys);
            out.writeByteArray(batch.flags);
            out.writeLongArray(batch.versions);
            deltas[i] = batch.deltas;
        }
        Wire.writeFloatArraysLast(out, deltas);
    }

    @Override
    protected void readInternal(final ObjectDataInput in) throws IOException
    {
        channel = in.readInt();
        urgent = in.readBoolean();
        requestId = in.readLong();
        final int count = in.readInt();
        final TableSpec[] specs = new TableSpec[count];
        final long[][] keys = new long[count][];
        final byte[][] flags = new byte[count][];
        final long[][] versions = new long[count][];
        for (int i = 0; i < count; i++)
        {
            specs[i] = Wire.readSpec(in);
            keys[i] = in.readLongArray();
            flags[i] = in.readByteArray();
            versions[i] = in.readLongArray();
        }
        final float[][] deltas = Wire.readFloatArraysLast(in, count);
        batches = new SyncBatch[count];
        for (int i = 0; i < count; i++)
        {
            batches[i] = new SyncBatch(specs[i], keys[i], flags[i], deltas[i], versions[i]);
        }
    }
}
