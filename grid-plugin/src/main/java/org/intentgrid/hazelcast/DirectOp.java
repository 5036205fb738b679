package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.impl.operationservice.Operation;
import org.intentgrid.core.DataRequest;

import java.io.IOException;

/** A request sent straight to one member, served on a generic operation thread against its store. */
final class DirectOp extends Operation implements IdentifiedDataSerializable
{
    private DataRequest request;
    private ReplyMessage response;

    DirectOp()
    {
    }

    DirectOp(final DataRequest request)
    {
        this.request = request;
    }

    @Override
    public void run()
    {
        final GridService service = getService();
        response = new ReplyMessage(service.runtime().serveDirect(request, getCallerUuid()));
    }

    @Override
    public Object getResponse()
    {
        return response;
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
        return GridSerializerHook.DIRECT_OP;
    }

    @Override
    protected void writeInternal(final ObjectDataOutput out) throws IOException
    {
        Wire.writeRequest(out, request);
    }

    @Override
    protected void readInternal(final ObjectDataInput in) throws IOException
    {
        request = Wire.readRequest(in);
    }
}
