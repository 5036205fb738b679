package org.intentgrid.hazelcast;

import com.hazelcast.spi.impl.NodeEngine;
import com.hazelcast.spi.impl.servicemanager.ServiceDescriptor;
import com.hazelcast.spi.impl.servicemanager.ServiceDescriptorProvider;

/**
 * Makes a stock Hazelcast member run the grid service when the plugin jar is on its classpath; found
 * through {@code META-INF/services/com.hazelcast.spi.impl.servicemanager.ServiceDescriptorProvider}.
 */
public final class GridServiceDescriptorProvider implements ServiceDescriptorProvider
{
    @Override
    public ServiceDescriptor[] createServiceDescriptors()
    {
        return new ServiceDescriptor[] {new ServiceDescriptor()
        {
            @Override
            public String getServiceName()
            {
                return GridService.SERVICE_NAME;
            }

            @Override
            public Object getService(final NodeEngine nodeEngine)
            {
                return new GridService();
            }
        }};
    }
}
