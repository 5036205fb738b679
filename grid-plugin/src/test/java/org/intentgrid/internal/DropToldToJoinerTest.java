package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member that joins after a table was dropped is told of the drop by the members that knew of it. They see the
 * joiner in their member list before the joiner has taken them into its own, and until then the joiner refuses their
 * messages (Hazelcast: CallerNotMemberException). CI once saw both members' one message refused and the joiner never
 * learn of the drop; now they tell it again until it answers. A drop made while a member joins meets the same
 * refusal, and is sent again too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DropToldToJoinerTest
{
    private static final GridConfig CONFIG = GridConfig.embedded().requestTimeoutMillis(10_000);

    private final InMemoryCluster cluster = new InMemoryCluster(4);

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aJoinerThatRefusesTheFirstDropMessagesStillHearsOfTheDrop()
    {
        final MemberRuntime first = cluster.addMember(CONFIG);
        cluster.addMember(CONFIG);
        final TableSpec spec = TableSpec.of("dropped-before-join", 64, 4);
        first.table(spec);
        first.dropEverywhere(spec);

        final AtomicInteger refused = new AtomicInteger();
        cluster.interceptor((message, from, to, payload) ->
            message.equals("direct drop") && refused.getAndIncrement() < 4 ?
                CompletableFuture.failedFuture(new IllegalStateException("not a member yet, says the joiner")) : null);
        final MemberRuntime joiner = cluster.addMember(CONFIG);

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!joiner.isDropped(spec) && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        assertTrue(refused.get() > 4, "the joiner refused the first messages: " + refused.get());
        assertTrue(joiner.isDropped(spec), "the joiner heard of the drop after refusing " + refused.get() +
            " messages");
    }

    @Test
    void aDropThatAJoiningMemberRefusesAtFirstStillCompletesEverywhere()
    {
        final MemberRuntime first = cluster.addMember(CONFIG);
        final MemberRuntime second = cluster.addMember(CONFIG);
        final MemberRuntime third = cluster.addMember(CONFIG);
        final TableSpec spec = TableSpec.of("dropped-while-joining", 64, 4);
        first.table(spec);

        final AtomicInteger refused = new AtomicInteger();
        cluster.interceptor((message, from, to, payload) ->
            message.equals("direct drop") && to.equals(third.self()) && refused.getAndIncrement() < 3 ?
                CompletableFuture.failedFuture(new IllegalStateException("not a member yet, says the joiner")) : null);
        final long start = System.nanoTime();
        first.dropEverywhere(spec);

        assertTrue(refused.get() > 3, "the joining member refused the first messages: " + refused.get());
        assertTrue(second.isDropped(spec) && third.isDropped(spec), "every member dropped the table");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "within the retries, long before the " +
            "request timeout");
    }
}
