package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import org.intentgrid.internal.DataReply;
import org.intentgrid.internal.DataRequest;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** A request sent straight to one member, served on a generic operation thread against its store. */
final class DirectOp extends GridOperation
{
    private DataRequest request;
    private ReplyMessage response;
    private boolean answerLater;

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
        final CompletableFuture<Void> gate = reply.backupGate();
        if (gate != null && !gate.isDone())
        {
            // updates from other members are acknowledged once the backup holds them
            answerLater = true;
            gate.whenComplete((done, error) -> sendResponse(response));
        }
    }

    @Override
    public boolean returnsResponse()
    {
        return !answerLater;
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
