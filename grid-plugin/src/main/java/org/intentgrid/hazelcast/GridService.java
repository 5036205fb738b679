package org.intentgrid.hazelcast;

import com.hazelcast.core.DistributedObject;
import com.hazelcast.internal.partition.MigrationAwareService;
import com.hazelcast.internal.partition.MigrationEndpoint;
import com.hazelcast.internal.partition.PartitionMigrationEvent;
import com.hazelcast.internal.partition.PartitionReplicationEvent;
import com.hazelcast.cluster.Member;
import com.hazelcast.internal.services.ManagedService;
import com.hazelcast.internal.services.MembershipAwareService;
import com.hazelcast.internal.services.MembershipServiceEvent;
import com.hazelcast.internal.services.RemoteService;
import com.hazelcast.logging.ILogger;
import com.hazelcast.spi.impl.NodeEngine;
import com.hazelcast.spi.impl.operationservice.Operation;
import org.intentgrid.GridConfig;
import org.intentgrid.internal.DirectoryChunk;
import org.intentgrid.internal.MemberRuntime;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * The grid as a Hazelcast service: owns the member's {@link MemberRuntime}, moves the home directory with
 * its partitions, hands main copies off before the member leaves, and recovers a lost member's main copies.
 * <p>
 * A member that was split off (frozen past failure detection, or cut off by the network) and merges back gets a new
 * member id from Hazelcast; meanwhile its main copies were recovered elsewhere from their backups, so the copies it
 * still holds are stale. When the merge starts its runtime is shut down — it neither serves nor accepts updates on
 * them — and before it rejoins it gets a new, empty runtime under its new id ({@link #reset}).
 */
public final class GridService implements ManagedService, RemoteService, MigrationAwareService, MembershipAwareService
{
    /** Name under which Hazelcast knows the service. */
    public static final String SERVICE_NAME = "intentgrid:gridService";

    private final GridConfig config;
    private volatile MemberRuntime runtime;
    private NodeEngine nodeEngine;
    private ILogger logger;

    /** @param config the member's settings, already validated */
    GridService(final GridConfig config)
    {
        this.config = config;
    }

    /** @return this member's runtime */
    public MemberRuntime runtime()
    {
        return runtime;
    }

    @Override
    public void init(final NodeEngine nodeEngine, final Properties properties)
    {
        this.nodeEngine = nodeEngine;
        this.logger = nodeEngine.getLogger(MemberRuntime.class);
        runtime = newRuntime(config);
        nodeEngine.getMetricsRegistry().registerDynamicMetricsProvider(new GridMetrics(this::runtime));
        nodeEngine.getHazelcastInstance().getLifecycleService().addLifecycleListener(event ->
        {
            final MemberRuntime current = runtime;
            switch (event.getState())
            {
                case SHUTTING_DOWN:
                    current.leave(current.config().handoffTimeoutMillis());
                    break;
                case MERGING:
                    logger.warning("intentgrid: this member merges back into its cluster; the main copies it holds " +
                        "were recovered elsewhere while it was away and are dropped here");
                    current.shutdown();
                    break;
                default:
                    break;
            }
        });
    }

    private MemberRuntime newRuntime(final GridConfig settings)
    {
        return new MemberRuntime(new HazelcastClusterPort(nodeEngine), settings,
            error -> logger.severe("intentgrid background task failed", error));
    }

    @Override
    public void memberAdded(final MembershipServiceEvent event)
    {
        runtime.memberAdded(event.getMember().getUuid(), ids(event));
    }

    @Override
    public void memberRemoved(final MembershipServiceEvent event)
    {
        runtime.memberRemoved(event.getMember().getUuid(), ids(event));
    }

    private static List<UUID> ids(final MembershipServiceEvent event)
    {
        final List<UUID> ids = new ArrayList<>();
        for (final Member member : event.getMembers())
        {
            ids.add(member.getUuid());
        }
        return ids;
    }

    /**
     * Hazelcast resets services during a merge only: after {@code MERGING} (the old runtime is shut down) and after
     * the member got its new id, before it rejoins. The new runtime starts here rather than at {@code MERGED}, which
     * comes after the join: partitions migrate to the member as soon as it joined, and their home directories
     * must reach the runtime that serves them, not the one about to be replaced.
     */
    @Override
    public void reset()
    {
        runtime = newRuntime(runtime.config());
    }

    @Override
    public void shutdown(final boolean terminate)
    {
        final MemberRuntime current = runtime;
        if (current != null)
        {
            current.shutdown();
        }
    }

    @Override
    public DistributedObject createDistributedObject(final String name, final UUID source, final boolean local)
    {
        return new GridProxy(name, this);
    }

    @Override
    public void destroyDistributedObject(final String name, final boolean local)
    {
    }

    @Override
    public Operation prepareReplicationOperation(final PartitionReplicationEvent event)
    {
        if (event.getReplicaIndex() > runtime.config().directoryBackups())
        {
            return null;
        }
        final List<DirectoryChunk> chunks = runtime.directorySnapshot(event.getPartitionId());
        final UUID[] lostOwners = runtime.lostOwners();
        return chunks.isEmpty() && lostOwners.length == 0 ? null : new DirectoryReplicationOp(chunks, lostOwners);
    }

    @Override
    public void beforeMigration(final PartitionMigrationEvent event)
    {
    }

    @Override
    public void commitMigration(final PartitionMigrationEvent event)
    {
        if (event.getMigrationEndpoint() == MigrationEndpoint.SOURCE &&
            (event.getNewReplicaIndex() == -1 || event.getNewReplicaIndex() > runtime.config().directoryBackups()))
        {
            runtime.clearDirectory(event.getPartitionId());
        }
    }

    @Override
    public void rollbackMigration(final PartitionMigrationEvent event)
    {
        if (event.getMigrationEndpoint() == MigrationEndpoint.DESTINATION &&
            (event.getCurrentReplicaIndex() == -1 ||
                event.getCurrentReplicaIndex() > runtime.config().directoryBackups()))
        {
            runtime.clearDirectory(event.getPartitionId());
        }
    }
}
