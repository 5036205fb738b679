package org.intentgrid.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LostMemberResendsTest
{
    private static final UUID LOST = new UUID(0, 7);

    @Test
    void doneOnlyOnceTheLossWasHeardAndEveryReSendStartedBeforeOrAtItWasAnswered()
    {
        final LostMemberResends resends = new LostMemberResends(60_000);
        final CompletableFuture<Void> early = new CompletableFuture<>();
        resends.started(LOST, early);
        assertTrue(resends.knows(LOST), "an early re-send makes the lost member known");
        final CompletableFuture<Void> gate = resends.of(LOST);

        final CompletableFuture<Void> atEvent = new CompletableFuture<>();
        resends.started(LOST, atEvent);
        resends.heard(LOST);
        atEvent.complete(null);
        assertFalse(gate.isDone(), "the early re-send is still on its way");
        assertEquals(List.of(early), resends.unanswered());

        early.complete(null);
        assertTrue(gate.isDone(), "heard, and every re-send answered");
        assertTrue(resends.of(LOST).isDone(), "a later waiter finds it done");
        assertTrue(resends.unanswered().isEmpty());
    }

    @Test
    void aReSendThatFailedCountsAsAnswered()
    {
        final LostMemberResends resends = new LostMemberResends(60_000);
        final CompletableFuture<Void> failing = new CompletableFuture<>();
        resends.started(LOST, failing);
        resends.heard(LOST);
        failing.completeExceptionally(new IllegalStateException("not answered within the request timeout"));
        assertTrue(resends.of(LOST).isDone());
    }

    @Test
    void eachWaiterWaitsAtMostTheTimeoutFromWhenItAsked() throws Exception
    {
        final LostMemberResends resends = new LostMemberResends(200);
        resends.started(LOST, new CompletableFuture<>());
        Thread.sleep(300);
        final long start = System.nanoTime();
        final CompletableFuture<Void> gate = resends.of(LOST);
        assertFalse(gate.isDone(), "the entry is older than the timeout, the wait is not");
        gate.get(10, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150),
            "a member that never hears of the loss waits out the timeout");
    }
}
