package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.OpHandle;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member whose backup holder stops answering (frozen, or cut off until failure detection removes it) keeps
 * serving its workers: its flushes wait for the holder, on their own thread, not on the threads that complete
 * remote requests. Found in the container suite: a member frozen for 16 s stalled the requests of the member whose
 * backups it held until the flush's own timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SilentHolderTest
{
    private static final TableSpec SPEC = TableSpec.of("silent", 1000, 4);
    private static final int PARTITIONS = 4;
    private static final long REQUEST_TIMEOUT_MILLIS = 20_000;

    private final InMemoryCluster cluster = new InMemoryCluster(PARTITIONS);
    private final GridConfig config = GridConfig.embedded().requestTimeoutMillis(REQUEST_TIMEOUT_MILLIS);
    private final MemberRuntime origin = cluster.addMember(config);
    private final MemberRuntime holder = cluster.addMember(config);
    private final MemberRuntime other = cluster.addMember(config);

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void remoteRequestsCompleteWhileTheBackupHolderIsSilent() throws Exception
    {
        cluster.homesAt(other);
        final long ownKey = 1;
        final int ownPartition = origin.router().partitionOf(SPEC, ownKey);
        long remoteKey = ownKey + 1;
        while (origin.router().partitionOf(SPEC, remoteKey) == ownPartition)
        {
            remoteKey++;
        }
        cluster.partitionOwner(ownPartition, origin.self());
        assertTrue(holder.self().equals(BackupFlusher.successor(cluster.members(), origin.self())),
            "the second member holds the first one's backups");

        final WorkerEngine worker = origin.newWorker();
        final TableStore store = worker.store(SPEC);
        final long[] own = {ownKey};
        final long[] remote = {remoteKey};
        final float[] ones = new float[SPEC.valueLength()];
        Arrays.fill(ones, 1f);
        worker.push(store, own, own.length, ones).await();
        worker.push(store, remote, remote.length, ones).await();
        origin.flushBackup();

        // the holder goes silent: every backup message to it waits forever
        cluster.interceptor((message, from, to, payload) ->
            message.startsWith("direct backup") && to.equals(holder.self()) ? new CompletableFuture<>() : null);
        worker.push(store, own, own.length, ones).await();
        // a set from another member waits for a flush: it asks for one at once, on top of the periodic one
        final WorkerEngine otherWorker = other.newWorker();
        final OpHandle set = otherWorker.set(otherWorker.store(SPEC), own, own.length, ones);
        Thread.sleep(3 * GridConfig.BACKUP_FLUSH_DEFAULT_MS);
        assertTrue(!set.isDone(), "a set is answered only once the backup holds it");

        final long start = System.nanoTime();
        final OpHandle push = worker.push(store, remote, remote.length, ones);
        assertTrue(push.await(5, TimeUnit.SECONDS), "a push to another member's key completes while this " +
            "member's backup holder is silent");
        final float[] value = new float[SPEC.valueLength()];
        final OpHandle pull = worker.pull(store, remote, value, null, 1);
        assertTrue(pull.await(5, TimeUnit.SECONDS), "and so does a pull");
        assertEquals(SPEC.init().value(SPEC.nameHash(), remoteKey, 0) + 2f, value[0], "both pushes applied");
        System.out.printf("push and pull with a silent backup holder: %.1f ms%n", (System.nanoTime() - start) / 1e6);
    }
}
