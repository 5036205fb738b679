package org.intentgrid.internal;

import org.intentgrid.TableSpec;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** One member's {@link ClusterPort} onto an {@link InMemoryCluster}. */
public final class InMemoryClusterPort implements ClusterPort
{
    private final InMemoryCluster cluster;
    private final UUID self;

    InMemoryClusterPort(final InMemoryCluster cluster, final UUID self)
    {
        this.cluster = cluster;
        this.self = self;
    }

    @Override
    public UUID localMember()
    {
        return self;
    }

    @Override
    public void logInfo(final String message)
    {
        cluster.log(self, message);
    }

    @Override
    public List<UUID> members()
    {
        return cluster.members();
    }

    @Override
    public int memberCount()
    {
        return cluster.members().size();
    }

    @Override
    public long clusterTimeMillis()
    {
        return System.currentTimeMillis();
    }

    @Override
    public boolean isMember(final UUID member)
    {
        return cluster.isMember(member);
    }

    @Override
    public int partitionCount()
    {
        return cluster.partitionCount();
    }

    @Override
    public UUID partitionOwner(final int partitionId)
    {
        return cluster.partitionOwnerOf(partitionId);
    }

    @Override
    public CompletableFuture<DataReply> direct(final UUID member, final DataRequest request)
    {
        final CompletableFuture<DataReply> reply = cluster.send("direct " + request.kind.label(), self, member, request,
            runtime -> runtime.serveDirect(request, self));
        return reply.thenCompose(r -> r.backupGate() == null ? reply : r.backupGate().thenApply(done -> r));
    }

    @Override
    public CompletableFuture<DataReply[]> home(final UUID member, final int[] partitions, final DataRequest[] requests)
    {
        return cluster.send("home " + requests[0].kind.label(), self, member, requests, runtime ->
        {
            final DataReply[] replies = new DataReply[partitions.length];
            for (int p = 0; p < partitions.length; p++)
            {
                if (member.equals(cluster.partitionOwnerOf(partitions[p])))
                {
                    replies[p] = runtime.serveAtHome(partitions[p], requests[p], self);
                }
            }
            return replies;
        });
    }

    @Override
    public CompletableFuture<SyncBatchReply[]> sync(final UUID member, final int channel, final SyncBatch[] batches,
        final long requestId, final boolean urgent)
    {
        return cluster.send("sync", self, member, new InMemoryCluster.SyncMessage(channel, batches, requestId),
            runtime -> runtime.serveSync(channel, batches, self, requestId));
    }

    @Override
    public CompletableFuture<String[]> checkpoint(final UUID member, final String directory,
        final List<TableSpec> specs, final CheckpointPhase phase, final UUID[] lost)
    {
        return cluster.send("checkpoint", self, member, specs, runtime -> runtime.checkpoint(directory, specs,
            phase, lost));
    }
}
