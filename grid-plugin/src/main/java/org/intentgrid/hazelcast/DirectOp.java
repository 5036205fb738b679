package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import org.intentgrid.internal.DataReply;
import org.intentgrid.internal.DataRequest;

import java.io.IOException;

/** A request sent straight to one member, served on a generic operation thread against its store. */
final class DirectOp extends GridOperation
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
        final DataReply reply = runtime().serveDirect(request, getCallerUuid());
        response = new ReplyMessage(reply);
        answerWhenBackedUp(reply, response);
    }

    @Override
    public Object getResponse()
    {
        return response;
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
