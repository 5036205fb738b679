package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A remote update whose answer is lost after the owner applied it (the answer dropped, or late past the caller's
 * patience) is sent again with the same request id, and the owner applies it once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RetryAppliedOnceTest
{
    private static final TableSpec SPEC = TableSpec.of("retry", 1000, 4);
    private static final int PARTITIONS = 4;
    private static final long KEY = 7;

    private InMemoryCluster cluster;
    private MemberRuntime requester;
    private MemberRuntime owner;

    @BeforeEach
    void start()
    {
        cluster = new InMemoryCluster(PARTITIONS);
        final GridConfig config = GridConfig.embedded().requestTimeoutMillis(5000);
        requester = cluster.addMember(config);
        owner = cluster.addMember(config);
        for (int p = 0; p < PARTITIONS; p++)
        {
            cluster.partitionOwner(p, owner.self());
        }
    }

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    /**
     * Sends one push of {@code KEY} from the requester; the first delivery reaches the owner, which applies it (and
     * backs it up), but its answer is dropped, so the requester sends it again.
     */
    @Test
    void aPushWhoseAnswerWasLostIsAppliedOnce()
    {
        final float amount = 5f;
        final WorkerEngine ownerWorker = owner.newWorker();
        final float[] before = new float[SPEC.valueLength()];
        ownerWorker.pull(ownerWorker.store(SPEC), new long[] {KEY}, before, null, 1).await();

        final AtomicInteger deliveries = new AtomicInteger();
        cluster.interceptor((message, from, to, payload) ->
        {
            if (!message.equals("direct push") || !to.equals(owner.self()))
            {
                return null;
            }
            final DataRequest request = (DataRequest)payload;
            if (deliveries.incrementAndGet() > 1)
            {
                return null;
            }
            final DataReply applied = owner.serveDirect(request, from);
            return applied.backupGate() == null ? lostAnswer() : applied.backupGate().thenCompose(done -> lostAnswer());
        });
        final WorkerEngine worker = requester.newWorker();
        final float[] update = new float[SPEC.valueLength()];
        Arrays.fill(update, amount);
        worker.push(worker.store(SPEC), new long[] {KEY}, 1, update).await();
        assertEquals(2, deliveries.get(), "the push was delivered again after its answer was lost");

        final float[] after = new float[SPEC.valueLength()];
        ownerWorker.pull(ownerWorker.store(SPEC), new long[] {KEY}, after, null, 1).await();
        for (int e = 0; e < SPEC.valueLength(); e++)
        {
            assertEquals(before[e] + amount, after[e], 1e-6, "element " + e + ": the owner applied the push once");
        }
    }

    private static CompletableFuture<DataReply> lostAnswer()
    {
        return CompletableFuture.failedFuture(new IllegalStateException("answer lost on its way back"));
    }
}
