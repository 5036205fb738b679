package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.impl.operationservice.BackupOperation;
import org.intentgrid.internal.DirectoryChunk;

import java.io.IOException;
import java.util.List;

/** Applies directory changes of one home operation at a backup replica. */
final class DirectoryBackupOp extends GridOperation implements BackupOperation
{
    private DirectoryChunk chunk;

    DirectoryBackupOp()
    {
    }

    DirectoryBackupOp(final DirectoryChunk chunk)
    {
        this.chunk = chunk;
    }

    @Override
    public void run()
    {
        runtime().applyDirectoryBackup(getPartitionId(), chunk);
    }

    @Override
    public int getClassId()
    {
        return GridSerializerHook.DIRECTORY_BACKUP;
    }

    @Override
    protected void writeInternal(final ObjectDataOutput out) throws IOException
    {
        Wire.writeChunks(out, List.of(chunk));
    }

    @Override
    protected void readInternal(final ObjectDataInput in) throws IOException
    {
        chunk = Wire.readChunks(in).get(0);
    }
}
