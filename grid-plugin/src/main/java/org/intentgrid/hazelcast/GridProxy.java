package org.intentgrid.hazelcast;

import com.hazelcast.core.DistributedObject;

/** The distributed-object face of the service, through which public API code reaches its member's runtime. */
final class GridProxy implements DistributedObject
{
    private final String name;
    private final GridService service;

    GridProxy(final String name, final GridService service)
    {
        this.name = name;
        this.service = service;
    }

    GridService service()
    {
        return service;
    }

    @Override
    public String getPartitionKey()
    {
        return name;
    }

    @Override
    public String getName()
    {
        return name;
    }

    @Override
    public String getServiceName()
    {
        return GridService.SERVICE_NAME;
    }

    @Override
    public void destroy()
    {
    }
}
