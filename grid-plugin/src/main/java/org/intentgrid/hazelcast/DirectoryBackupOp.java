package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.impl.operationservice.BackupOperation;
import com.hazelcast.spi.impl.operationservice.Operation;
import org.intentgrid.core.DirectoryChunk;

import java.io.IOException;
import java.util.List;

/** Applies directory changes of one home operation at a backup replica. */
final class DirectoryBackupOp extends Operation implements BackupOperation, IdentifiedDataSerializable
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
        final GridService service = getService();
        service.runtime().applyBackup(getPartitionId(), chunk);
    }

    @Override
    public String getServiceName()
    {
        return GridService.SERVICE_NAME;
    }

    @Override
    public int getFactoryId()
    {
        return GridSerializerHook.FACTORY_ID;
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
