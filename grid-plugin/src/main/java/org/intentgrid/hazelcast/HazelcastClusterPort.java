package org.intentgrid.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.internal.partition.InternalPartition;
import com.hazelcast.internal.partition.InternalPartitionService;
import com.hazelcast.internal.partition.PartitionReplica;
import com.hazelcast.spi.impl.NodeEngine;
import com.hazelcast.spi.impl.operationservice.OperationService;
import com.hazelcast.spi.impl.operationservice.impl.operations.PartitionIteratingOperation;
import com.hazelcast.spi.impl.operationservice.impl.operations.PartitionIteratingOperation.PartitionResponse;
import org.intentgrid.TableSpec;
import org.intentgrid.internal.CheckpointPhase;
import org.intentgrid.internal.ClusterPort;
import org.intentgrid.internal.DataReply;
import org.intentgrid.internal.DataRequest;
import org.intentgrid.internal.SyncBatch;
import org.intentgrid.internal.SyncBatchReply;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/** {@link ClusterPort} over Hazelcast's operation service and partition table. */
final class HazelcastClusterPort implements ClusterPort
{
    private static final Executor CALLER_RUNS = Runnable::run;

    private final NodeEngine nodeEngine;
    private final InternalPartitionService partitions;
    private final OperationService operations;

    HazelcastClusterPort(final NodeEngine nodeEngine)
    {
        this.nodeEngine = nodeEngine;
        this.partitions = (InternalPartitionService)nodeEngine.getPartitionService();
        this.operations = nodeEngine.getOperationService();
    }

    @Override
    public UUID localMember()
    {
        return nodeEngine.getLocalMember().getUuid();
    }

    @Override
    public void logInfo(final String message)
    {
        nodeEngine.getLogger(GridService.class).info(message);
    }

    @Override
    public List<UUID> members()
    {
        final List<UUID> ids = new ArrayList<>();
        for (final Member member : nodeEngine.getClusterService().getMembers())
        {
            ids.add(member.getUuid());
        }
        return ids;
    }

    @Override
    public int memberCount()
    {
        return nodeEngine.getClusterService().getSize();
    }

    @Override
    public long clusterTimeMillis()
    {
        return nodeEngine.getClusterService().getClusterTime();
    }

    @Override
    public boolean isMember(final UUID member)
    {
        return nodeEngine.getClusterService().getMember(member) != null;
    }

    @Override
    public int partitionCount()
    {
        return partitions.getPartitionCount();
    }

    @Override
    public UUID partitionOwner(final int partitionId)
    {
        final InternalPartition partition = partitions.getPartition(partitionId);
        final PartitionReplica owner = partition == null ? null : partition.getOwnerReplicaOrNull();
        return owner == null ? null : owner.uuid();
    }

    @Override
    public CompletableFuture<DataReply> direct(final UUID member, final DataRequest request)
    {
        final Member target = nodeEngine.getClusterService().getMember(member);
        if (target == null)
        {
            return CompletableFuture.failedFuture(new IllegalStateException("member " + member +
                " is not in the cluster"));
        }
        return plain(operations.<ReplyMessage>createInvocationBuilder(GridService.SERVICE_NAME, new DirectOp(request),
            target.getAddress()).setTryCount(1).<ReplyMessage>invoke(), message -> message.reply);
    }

    @Override
    public CompletableFuture<String[]> checkpoint(final UUID member, final String directory,
        final List<TableSpec> specs, final CheckpointPhase phase, final UUID[] lost)
    {
        final Member target = nodeEngine.getClusterService().getMember(member);
        if (target == null)
        {
            return CompletableFuture.failedFuture(new IllegalStateException("member " + member +
                " is not in the cluster"));
        }
        return plain(operations.<String[]>createInvocationBuilder(GridService.SERVICE_NAME,
            new CheckpointOp(directory, specs, phase, lost), target.getAddress()).setTryCount(1)
            .setCallTimeout(Long.MAX_VALUE).<String[]>invoke(), reply -> reply);
    }

    @Override
    public CompletableFuture<DataReply[]> home(final UUID member, final int[] partitionIds,
        final DataRequest[] requests)
    {
        final Member target = nodeEngine.getClusterService().getMember(member);
        if (target == null)
        {
            return CompletableFuture.completedFuture(new DataReply[partitionIds.length]);
        }
        final PartitionIteratingOperation op =
            new PartitionIteratingOperation(new HomeOpFactory(partitionIds, requests), partitionIds);
        return plain(operations.createInvocationBuilder(GridService.SERVICE_NAME, op, target.getAddress())
            .setTryCount(1).<PartitionResponse>invoke(), response ->
            {
                final DataReply[] replies = new DataReply[partitionIds.length];
                final int[] answered = response.getPartitions();
                final Object[] results = response.getResults();
                for (int r = 0; r < answered.length; r++)
                {
                    if (results[r] instanceof ReplyMessage)
                    {
                        for (int i = 0; i < partitionIds.length; i++)
                        {
                            if (partitionIds[i] == answered[r])
                            {
                                replies[i] = ((ReplyMessage)results[r]).reply;
                            }
                        }
                    }
                }
                return replies;
            });
    }

    @Override
    public CompletableFuture<SyncBatchReply[]> sync(final UUID member, final int channel, final SyncBatch[] batches,
        final long requestId, final boolean urgent)
    {
        final Member target = nodeEngine.getClusterService().getMember(member);
        if (target == null)
        {
            return CompletableFuture.failedFuture(new IllegalStateException("member " + member +
                " is not in the cluster"));
        }
        return plain(operations.<SyncReplyMessage>createInvocationBuilder(GridService.SERVICE_NAME,
            new SyncOp(channel, batches, requestId, urgent), target.getAddress()).setTryCount(1)
            .<SyncReplyMessage>invoke(), message -> message.replies);
    }

    /**
     * Completes a plain {@link CompletableFuture} from Hazelcast's invocation future, unwrapping the answer on the
     * thread that receives it. Hazelcast runs every dependent stage of its futures, async or not, on its default
     * async executor, which on machines with fewer than three cores (common-pool parallelism 1) starts a new thread
     * per task: a thread per remote answer. Plain futures run our continuations where we say.
     */
    private static <M, R> CompletableFuture<R> plain(final CompletableFuture<M> invocation, final Function<M, R> unwrap)
    {
        final CompletableFuture<R> result = new CompletableFuture<>();
        invocation.whenCompleteAsync((message, error) ->
        {
            if (error != null)
            {
                result.completeExceptionally(error);
                return;
            }
            try
            {
                result.complete(unwrap.apply(message));
            }
            catch (final RuntimeException e)
            {
                result.completeExceptionally(e);
            }
        }, CALLER_RUNS);
        return result;
    }
}
