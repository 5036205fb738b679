package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.impl.operationservice.Operation;
import org.intentgrid.core.DirectoryChunk;

import java.io.IOException;
import java.util.List;

/** Carries a whole directory partition to a member that becomes its owner or a backup. */
final class DirectoryReplicationOp extends Operation implements IdentifiedDataSerializable
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
        final GridService service = getService();
        service.runtime().directory().replace(getPartitionId(), chunks);
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
