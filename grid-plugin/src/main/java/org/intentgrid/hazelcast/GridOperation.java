package org.intentgrid.hazelcast;

import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.impl.operationservice.Operation;
import org.intentgrid.internal.DataReply;
import org.intentgrid.internal.MemberRuntime;

import java.util.concurrent.CompletableFuture;

/**
 * What every grid operation shares: the service it belongs to, its serialization factory, and answers held back
 * until the owner's backup holds the updates they acknowledge.
 */
abstract class GridOperation extends Operation implements IdentifiedDataSerializable
{
    private boolean answerLater;

    /**
     * Sends {@code response} only once {@code reply}'s backup gate completes (a set or an adopted main copy waits for
     * the owner's next backup flush); without a pending gate, Hazelcast sends it as usual when the run ends.
     */
    final void answerWhenBackedUp(final DataReply reply, final Object response)
    {
        final CompletableFuture<Void> gate = reply.backupGate();
        if (gate != null && !gate.isDone())
        {
            answerLater = true;
            gate.whenComplete((done, error) -> sendResponse(response));
        }
    }

    @Override
    public boolean returnsResponse()
    {
        return !answerLater;
    }

    MemberRuntime runtime()
    {
        final GridService service = getService();
        return service.runtime();
    }

    @Override
    public final String getServiceName()
    {
        return GridService.SERVICE_NAME;
    }

    @Override
    public final int getFactoryId()
    {
        return GridSerializerHook.FACTORY_ID;
    }
}
