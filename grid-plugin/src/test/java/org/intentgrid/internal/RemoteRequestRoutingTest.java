package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.OpHandle;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A remote request's route for one key, against scripted answers: hints are followed, a home member without a
 * better hint sends the key to the home partition, a ping-pong of hints ends after {@link Router#MAX_HINT_HOPS}
 * hops, and a key that is never served fails the request after its timeout, also when no answer ever comes.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RemoteRequestRoutingTest
{
    private static final TableSpec SPEC = TableSpec.of("routing", 1000, 4);
    private static final int PARTITIONS = 4;

    private InMemoryCluster cluster;
    private MemberRuntime a;
    private UUID b;
    private UUID c;
    private final Deque<Optional<UUID>> scriptedHints = new ArrayDeque<>();

    @BeforeEach
    void start()
    {
        cluster = new InMemoryCluster(PARTITIONS);
        final GridConfig config = GridConfig.embedded().requestTimeoutMillis(300);
        a = cluster.addMember(config);
        b = cluster.addMember(config).self();
        c = cluster.addMember(config).self();
        for (int p = 0; p < PARTITIONS; p++)
        {
            cluster.partitionOwner(p, b);
        }
    }

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    /** Answers direct pulls with the scripted misses, in order; lets everything else through. */
    private void scriptDirectMisses(final UUID... hints)
    {
        for (final UUID hint : hints)
        {
            scriptedHints.add(Optional.ofNullable(hint));
        }
        cluster.interceptor((message, from, to, payload) ->
        {
            if (!message.equals("direct pull"))
            {
                return null;
            }
            final Optional<UUID> hint;
            synchronized (scriptedHints)
            {
                if (scriptedHints.isEmpty())
                {
                    return null;
                }
                hint = scriptedHints.poll();
            }
            final DataReply miss = new DataReply(new byte[1], null, null, null, null);
            miss.miss(0, hint.orElse(null));
            return CompletableFuture.completedFuture(miss);
        });
    }

    private float[] pull(final long key)
    {
        final WorkerEngine worker = a.newWorker();
        final float[] values = new float[SPEC.valueLength()];
        final OpHandle handle = worker.pull(worker.store(SPEC), new long[] {key}, values, null, 1);
        assertNotSame(OpHandle.DONE, handle, "the key is not local to the requester");
        handle.await();
        return values;
    }

    private List<String> dataTraffic()
    {
        return cluster.traffic().stream().filter(m -> !m.startsWith("sync") && !m.startsWith("direct backup"))
            .toList();
    }

    @Test
    void followsHintsThenAsksTheHomePartitionWhenTheHomeKnowsNoBetter()
    {
        scriptDirectMisses(c, b, null);
        final float[] values = pull(7);
        assertEquals(List.of("direct pull m1 -> m2", "direct pull m1 -> m3", "direct pull m1 -> m2",
            "home pull m1 -> m2"), dataTraffic());
        assertEquals(SPEC.init().value(SPEC.nameHash(), 7, 0), values[0], "served by the key's first touch at home");
    }

    @Test
    void stopsFollowingAPingPongOfHintsAfterTheHopLimit()
    {
        scriptDirectMisses(c, b, c, b, c);
        pull(8);
        assertEquals(List.of("direct pull m1 -> m2", "direct pull m1 -> m3", "direct pull m1 -> m2",
            "home pull m1 -> m2"), dataTraffic(), "three hops in a row, then the home partition");
    }

    @Test
    void failsAfterTheRequestTimeoutWhenNobodyServesTheKey()
    {
        cluster.interceptor((message, from, to, payload) ->
        {
            final DataReply miss = new DataReply(new byte[1], null, null, null, null);
            miss.miss(0, null);
            return CompletableFuture.completedFuture(message.startsWith("home") ? new DataReply[] {miss} : miss);
        });
        final long started = System.nanoTime();
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> pull(9));
        final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(e.getMessage().contains("pull of key 9") && e.getMessage().contains("not answered within 300 ms"),
            e.getMessage());
        assertTrue(e.getMessage().contains("the last setback: key 9 not at member "), "says where it got stuck: " +
            e.getMessage());
        assertTrue(tookMillis >= 300 && tookMillis < 5_000, "gave up after the timeout: " + tookMillis + " ms");
        assertTrue(dataTraffic().stream().anyMatch(m -> m.startsWith("home pull")), "the home partition was asked");
    }

    @Test
    void anAttemptThatIsNeverAnsweredFailsTheWaitAfterOneAndAHalfTimeouts()
    {
        // a member whose runtime was shut down (it merged back after a split) answers nothing and retries nothing
        cluster.interceptor((message, from, to, payload) -> message.startsWith("direct pull") ||
            message.startsWith("home pull") ? new CompletableFuture<>() : null);
        final long started = System.nanoTime();
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> pull(9));
        final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(e.getMessage().contains("pull of 1 key(s) got neither an answer nor a retry within 1.5 times " +
            "the request timeout of 300 ms"), e.getMessage());
        assertTrue(tookMillis >= 450 && tookMillis < 5_000, "gave up after 1.5 timeouts: " + tookMillis + " ms");
    }

    @Test
    void retryDelaysBackOffToAboutOneSyncRound()
    {
        assertEquals(0, Router.retryDelayMicros(1));
        assertEquals(0, Router.retryDelayMicros(6));
        assertTrue(Router.retryDelayMicros(7) > 0);
        assertTrue(Router.retryDelayMicros(8) > Router.retryDelayMicros(7));
        assertEquals(1000, Router.retryDelayMicros(100));
    }
}
