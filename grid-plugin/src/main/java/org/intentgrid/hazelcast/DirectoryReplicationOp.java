package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import org.intentgrid.internal.DirectoryChunk;

import java.io.IOException;
import java.util.List;

/** Carries a whole directory partition to a member that becomes its owner or a backup. */
final class DirectoryReplicationOp extends GridOperation
{
    private List<DirectoryChunk> chunks;

    DirectoryReplicationOp()
    {
    }

    DirectoryReplicationOp(final List<DirectoryChunk> chunks)
    {
        this.chunks = chunks;
    }

    @Override
    public void run()
    {
        runtime().replaceDirectory(getPartitionId(), chunks);
    }

    @Override
    public int getClassId()
    {
        return GridSerializerHook.DIRECTORY_REPLICATION;
    }

    @Override
    protected void writeInternal(final ObjectDataOutput out) throws IOException
    {
        Wire.writeChunks(out, chunks);
    }

    @Override
    protected void readInternal(final ObjectDataInput in) throws IOException
    {
        chunks = Wire.readChunks(in);
    }
}
