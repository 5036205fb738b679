package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import org.intentgrid.internal.DirectoryChunk;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * Carries a whole directory partition to a member that becomes its owner or a backup, with the lost members whose
 * entries the sender voided (a member that joined after a loss learns of it here).
 */
final class DirectoryReplicationOp extends GridOperation
{
    private List<DirectoryChunk> chunks;
    private UUID[] lostOwners;

    DirectoryReplicationOp()
    {
    }

    DirectoryReplicationOp(final List<DirectoryChunk> chunks, final UUID[] lostOwners)
    {
        this.chunks = chunks;
        this.lostOwners = lostOwners;
    }

    @Override
    public void run()
    {
        runtime().replaceDirectory(getPartitionId(), chunks, lostOwners);
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
        out.writeInt(lostOwners.length);
        for (final UUID owner : lostOwners)
        {
            Wire.writeUuid(out, owner);
        }
    }

    @Override
    protected void readInternal(final ObjectDataInput in) throws IOException
    {
        chunks = Wire.readChunks(in);
        lostOwners = new UUID[in.readInt()];
        for (int i = 0; i < lostOwners.length; i++)
        {
            lostOwners[i] = Wire.readUuid(in);
        }
    }
}
