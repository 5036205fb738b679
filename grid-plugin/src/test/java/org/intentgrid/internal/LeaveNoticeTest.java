package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leaving member tells the others it left. When the members of an embedded grid close one after the other, a
 * member can still be in the leaver's member list while it is gone already: that one need not hear it, and the
 * leaver reports nothing (before, every close of a grid of three or more logged a SEVERE with a stack trace). A
 * member still in the cluster that does not answer is reported. A member that stopped ignores members removed after
 * it (an event thread can deliver such a removal while the grid closes).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeaveNoticeTest
{
    private static final GridConfig CONFIG = GridConfig.embedded().requestTimeoutMillis(5000);

    private final InMemoryCluster cluster = new InMemoryCluster(4);
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final MemberRuntime leaver = cluster.addMember(CONFIG, errors::add);
    private final MemberRuntime stays = cluster.addMember(CONFIG);
    private final MemberRuntime gone = cluster.addMember(CONFIG);

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aMemberThatLeftMeanwhileNeedNotHearItAndOneStillHereThatDoesNotAnswerIsReported()
    {
        cluster.homesAt(stays);
        cluster.interceptor((message, from, to, payload) ->
        {
            if (!message.equals("direct left"))
            {
                return null;
            }
            if (to.equals(gone.self()))
            {
                cluster.crash(gone.self());
                return CompletableFuture.failedFuture(new IllegalStateException("member left the cluster"));
            }
            return CompletableFuture.failedFuture(new IllegalStateException("refused by the test"));
        });

        leaver.leave(2000);

        assertEquals(1, errors.size(), () -> "one report, for the member still here: " + errors);
        assertTrue(errors.get(0).getMessage().contains(stays.self().toString()), errors.get(0).getMessage());
    }

    @Test
    void aMemberThatStoppedIgnoresTheRemovalOfAnother()
    {
        leaver.shutdown();

        // a Hazelcast event thread may deliver this after the service stopped; it threw from a rejected flush before
        assertDoesNotThrow(() -> leaver.memberRemoved(stays.self(), List.of(leaver.self(), gone.self())));
        assertEquals(List.of(), errors);
    }
}
