package org.intentgrid.hazelcast;

import com.hazelcast.spi.impl.NodeEngine;
import com.hazelcast.spi.impl.servicemanager.ServiceDescriptor;
import com.hazelcast.spi.impl.servicemanager.ServiceDescriptorProvider;
import org.intentgrid.GridConfig;

/**
 * Makes a stock Hazelcast member run the grid service when the plugin jar is on its classpath; found
 * through {@code META-INF/services/com.hazelcast.spi.impl.servicemanager.ServiceDescriptorProvider}.
 */
public final class GridServiceDescriptorProvider implements ServiceDescriptorProvider
{
    @Override
    public ServiceDescriptor[] createServiceDescriptors()
    {
        final ServiceDescriptor descriptor = new ServiceDescriptor()
        {
            @Override
            public String getServiceName()
            {
                return GridService.SERVICE_NAME;
            }

            /**
             * Reads the member's settings here rather than in {@link GridService#init}: Hazelcast logs and ignores an
             * exception from {@code init}, but one from here fails the member's start, as a bad setting should.
             */
            @Override
            public Object getService(final NodeEngine nodeEngine)
            {
                try
                {
                    return new GridService(GridConfig.fromProperties(nodeEngine.getConfig().getProperties()));
                }
                catch (final IllegalArgumentException e)
                {
                    throw new IllegalArgumentException("intentgrid cannot start on this member: " + e.getMessage(), e);
                }
            }
        };
        return new ServiceDescriptor[] {descriptor};
    }
}
