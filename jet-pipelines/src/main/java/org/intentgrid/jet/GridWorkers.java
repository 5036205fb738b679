package org.intentgrid.jet;

import com.hazelcast.jet.pipeline.ServiceFactories;
import com.hazelcast.jet.pipeline.ServiceFactory;
import org.intentgrid.GridMember;
import org.intentgrid.ParameterWorker;

/**
 * Grid workers as a Jet service, for stages that read or score without look-ahead ({@code mapUsingService}): one
 * {@link ParameterWorker} per processor, on the member the processor runs on, closed with the job. Its pulls
 * of remote keys complete asynchronously: in a cooperative stage use {@link ParameterWorker#pullIfLocal} or the
 * asynchronous {@code mapUsingServiceAsync} with {@code OpHandle.toCompletableFuture()}.
 */
public final class GridWorkers
{
    private GridWorkers()
    {
    }

    /** @return a service factory that gives every processor its own worker */
    public static ServiceFactory<?, ParameterWorker> perProcessor()
    {
        return ServiceFactories.nonSharedService(context -> GridMember.of(context.hazelcastInstance()).worker(),
            ParameterWorker::close);
    }
}
