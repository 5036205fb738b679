package org.intentgrid.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per lost member, whether this member's re-sends of the updates the lost member had not confirmed backed up
 * ({@link UnconfirmedUpdates}) have landed: done once this member heard of the loss and every re-send started until
 * then was answered. The answer to the recoverer's RECOVERED waits for it, and the recoverer keeps the recovered keys
 * in place and unread until then ({@link RecoveryPins}); a checkpoint's sync waits for it too.
 * <p>
 * Re-sends start at the membership event, or earlier: a checkpoint's sync sends again, at once, the updates of an
 * owner that the member list no longer names although this member has not heard of the loss yet. Such an early
 * re-send counts as well — before, the event found nothing left to send, reported the re-sends done while the early
 * one was still on its way, the recovered key moved on, and the late re-send was applied a second time.
 * <p>
 * A member that joined after the loss never hears of it, so each waiter waits at most {@code timeoutMillis} from
 * when it asked (a re-send itself fails after the request timeout); the wait starts with the waiter, not with the
 * entry, which may have been made by an early re-send long before.
 */
final class LostMemberResends
{
    private final Map<UUID, Resends> byLost = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<?>> unanswered = ConcurrentHashMap.newKeySet();
    private final long timeoutMillis;

    LostMemberResends(final long timeoutMillis)
    {
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * @return completes once this member heard that {@code lost} was lost and its re-sends for it were answered, or
     *         after the timeout
     */
    CompletableFuture<Void> of(final UUID lost)
    {
        return resends(lost).done.copy().completeOnTimeout(null, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** @return whether this member has heard of {@code lost}'s loss, or sent (or sends) updates again to it */
    boolean knows(final UUID lost)
    {
        return byLost.containsKey(lost);
    }

    /** A re-send of updates {@code lost} had not confirmed started; {@code answered} completes once it was answered. */
    void started(final UUID lost, final CompletableFuture<?> answered)
    {
        final Resends resends = resends(lost);
        resends.opened();
        unanswered.add(answered);
        answered.whenComplete((result, error) ->
        {
            unanswered.remove(answered);
            resends.closed();
        });
    }

    /** This member heard that {@code lost} was lost (its membership event); re-sends started until now count. */
    void heard(final UUID lost)
    {
        resends(lost).heard();
    }

    /** @return the re-sends not answered yet, whether their member's loss was heard or not */
    List<CompletableFuture<?>> unanswered()
    {
        return new ArrayList<>(unanswered);
    }

    private Resends resends(final UUID lost)
    {
        return byLost.computeIfAbsent(lost, l -> new Resends());
    }

    private static final class Resends
    {
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        /** Re-sends not answered yet. Guarded by this. */
        private int open;
        /** Guarded by this. */
        private boolean heard;

        synchronized void opened()
        {
            open++;
        }

        void closed()
        {
            final boolean landed;
            synchronized (this)
            {
                open--;
                landed = heard && open == 0;
            }
            completeIf(landed);
        }

        void heard()
        {
            final boolean landed;
            synchronized (this)
            {
                heard = true;
                landed = open == 0;
            }
            completeIf(landed);
        }

        /** Completes outside the lock: the waiters' continuations run on this thread. */
        private void completeIf(final boolean landed)
        {
            if (landed)
            {
                done.complete(null);
            }
        }
    }
}
