package org.intentgrid.internal;

import org.intentgrid.TableSpec;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What the grid needs from the cluster underneath: membership, the partition table, and two ways of
 * sending a batched request. Implemented by the Hazelcast adapter; nothing else in the grid touches
 * Hazelcast internals.
 */
public interface ClusterPort
{
    /** @return this member's id */
    UUID localMember();

    /** Logs a notable event of this member (a recovery) at INFO, where the member's own log goes. */
    void logInfo(String message);

    /** @return ids of the current members, this one included */
    List<UUID> members();

    /** @return the number of current members, this one included, without building their list */
    int memberCount();

    /** @return the cluster's time in milliseconds: the same on every member, up to the clock sync's precision */
    long clusterTimeMillis();

    /** @return true if the member is in the cluster now */
    boolean isMember(UUID member);

    /** @return number of partitions (the same on every member) */
    int partitionCount();

    /** @return the member that owns the partition (the home of its keys), or null while unassigned */
    UUID partitionOwner(int partitionId);

    /**
     * Sends one request to one member, served on a generic thread against that member's store.
     * The future fails if the member is gone; the request was then not applied there... or the member
     * left right after applying it, which graceful leave rules out by handing off first.
     */
    CompletableFuture<DataReply> direct(UUID member, DataRequest request);

    /**
     * Sends per-partition requests to the home member of those partitions as one network operation;
     * each is served on its partition's thread. An entry of the result is null where that partition's
     * request did not run (for example because the partition moved): the caller retries it.
     */
    CompletableFuture<DataReply[]> home(UUID member, int[] partitions, DataRequest[] requests);

    /**
     * Sends one sync round's entries for one member, served on a generic thread at that member.
     *
     * @param channel   the requester's sync channel for a full round, whose entries are all the keys the requester
     *                  wants from the member now ({@code InterestTable}); {@code -1 - channel} for a fetch round, which
     *                  asks only for new placeholders and leaves the member's view of the requester's interest alone
     * @param requestId the message's id: a replica delta it carries is merged once, also if it is delivered again
     * @param urgent    a {@link HotLane} round's small message: it goes ahead of queued ordinary messages both ways
     *                  (the rounds of the member's channels may carry megabytes), so that hot keys sync in
     *                  milliseconds
     */
    CompletableFuture<SyncBatchReply[]> sync(UUID member, int channel, SyncBatch[] batches, long requestId,
        boolean urgent);

    /**
     * Asks a member to take part in a checkpoint of {@code specs} in {@code directory}, or in a rollback of them:
     * see {@link CheckpointPhase}.
     *
     * @return per table, the member's {@link CheckpointPart#encode part}: for {@link CheckpointPhase#WRITE} the file
     *         written, for {@link CheckpointPhase#RESET} only the keys reset and those its home directory records;
     *         none for {@link CheckpointPhase#SYNC}
     * @param lost the members the caller heard were lost: in {@link CheckpointPhase#SYNC}, the member hears of them
     *         too before it waits for its recoveries
     */
    CompletableFuture<String[]> checkpoint(UUID member, String directory, List<TableSpec> specs,
        CheckpointPhase phase, UUID[] lost);
}
