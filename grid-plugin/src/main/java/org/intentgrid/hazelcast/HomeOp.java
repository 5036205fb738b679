package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.impl.operationservice.BackupAwareOperation;
import com.hazelcast.spi.impl.operationservice.Operation;
import org.intentgrid.internal.DataReply;
import org.intentgrid.internal.DataRequest;

import java.io.IOException;

/**
 * A request for keys of one home partition, run on that partition's thread at its owner: the only place
 * where keys are materialized and directory entries change. Changed entries go to the backups.
 */
final class HomeOp extends GridOperation implements BackupAwareOperation
{
    private DataRequest request;
    private DataReply reply;

    HomeOp()
    {
    }

    HomeOp(final DataRequest request)
    {
        this.request = request;
    }

    @Override
    public void run()
    {
        reply = runtime().serveAtHome(getPartitionId(), request, getCallerUuid());
        answerWhenBackedUp(reply, new ReplyMessage(reply));
    }

    @Override
    public Object getResponse()
    {
        return new ReplyMessage(reply);
    }

    @Override
    public boolean shouldBackup()
    {
        return reply.directoryChanges() != null;
    }

    @Override
    public int getSyncBackupCount()
    {
        return 0;
    }

    /**
     * Asynchronous, but sent before the answer: home operations run inside a {@code PartitionIteratingOperation},
     * which never waits for its parts' backup acknowledgements, so declaring them synchronous would promise nothing.
     */
    @Override
    public int getAsyncBackupCount()
    {
        return runtime().config().directoryBackups();
    }

    @Override
    public Operation getBackupOperation()
    {
        return new DirectoryBackupOp(reply.directoryChanges());
    }

    @Override
    public int getClassId()
    {
        return GridSerializerHook.HOME_OP;
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
