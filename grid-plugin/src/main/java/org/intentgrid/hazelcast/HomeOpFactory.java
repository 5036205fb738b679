package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.impl.operationservice.Operation;
import com.hazelcast.spi.impl.operationservice.impl.operations.PartitionAwareOperationFactory;
import org.intentgrid.internal.DataRequest;

import java.io.IOException;

/** Carries the per-partition requests for one home member inside one partition-iterating operation. */
final class HomeOpFactory extends PartitionAwareOperationFactory
{
    private DataRequest[] requests;

    HomeOpFactory()
    {
    }

    HomeOpFactory(final int[] partitions, final DataRequest[] requests)
    {
        this.partitions = partitions;
        this.requests = requests;
    }

    @Override
    public Operation createPartitionOperation(final int partition)
    {
        for (int i = 0; i < partitions.length; i++)
        {
            if (partitions[i] == partition)
            {
                return new HomeOp(requests[i]);
            }
        }
        throw new IllegalArgumentException("no request for partition " + partition);
    }

    @Override
    public int getFactoryId()
    {
        return GridSerializerHook.FACTORY_ID;
    }

    @Override
    public int getClassId()
    {
        return GridSerializerHook.HOME_FACTORY;
    }

    @Override
    public void writeData(final ObjectDataOutput out) throws IOException
    {
        out.writeIntArray(partitions);
        for (final DataRequest request : requests)
        {
            Wire.writeRequest(out, request);
        }
    }

    @Override
    public void readData(final ObjectDataInput in) throws IOException
    {
        partitions = in.readIntArray();
        requests = new DataRequest[partitions.length];
        for (int i = 0; i < requests.length; i++)
        {
            requests[i] = Wire.readRequest(in);
        }
    }
}
