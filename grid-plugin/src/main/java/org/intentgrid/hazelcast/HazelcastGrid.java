package org.intentgrid.hazelcast;

import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import org.intentgrid.internal.MemberRuntime;

import java.util.function.Supplier;

/** The public API's one way into the adapter: the runtime of a running Hazelcast member. */
public final class HazelcastGrid
{
    private static final String PROXY_NAME = "grid";

    private HazelcastGrid()
    {
    }

    /**
     * @param instance a member (not a client) with the plugin on its classpath
     * @return the member's runtime
     * @throws IllegalStateException if the member does not run the grid service
     */
    public static MemberRuntime runtime(final HazelcastInstance instance)
    {
        return runtimeSource(instance).get();
    }

    /**
     * @param instance a member (not a client) with the plugin on its classpath
     * @return the member's runtime at each call: a member that merges back into its cluster after a split gets a
     *         new one (see {@link GridService})
     * @throws IllegalStateException if the member does not run the grid service
     */
    public static Supplier<MemberRuntime> runtimeSource(final HazelcastInstance instance)
    {
        final DistributedObject proxy;
        try
        {
            proxy = instance.getDistributedObject(GridService.SERVICE_NAME, PROXY_NAME);
        }
        catch (final RuntimeException e)
        {
            throw new IllegalStateException("Hazelcast instance '" + instance.getName() + "' does not run the " +
                "intentgrid service: put the grid-plugin jar on the member's classpath (clients cannot host a grid)",
                    e);
        }
        final GridService service = ((GridProxy)proxy).service();
        return service::runtime;
    }
}
