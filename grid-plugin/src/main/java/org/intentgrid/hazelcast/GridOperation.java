package org.intentgrid.hazelcast;

import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.impl.operationservice.Operation;
import org.intentgrid.internal.MemberRuntime;

/** What every grid operation shares: the service it belongs to and its serialization factory. */
abstract class GridOperation extends Operation implements IdentifiedDataSerializable
{
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
