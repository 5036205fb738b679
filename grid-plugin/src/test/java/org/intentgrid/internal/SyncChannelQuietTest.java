package org.intentgrid.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A channel's quiet backoff: full rounds that change nothing space the next ones out; any change ends it. */
class SyncChannelQuietTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long RATE_LIMIT = MS;

    @Test
    void quietRoundsDoubleTheWaitUpToTheLongestAndAChangeEndsIt()
    {
        final SyncChannel channel = new SyncChannel(0);
        long now = 1_000 * MS;
        channel.fullRoundStarted(now);
        channel.changed();
        assertFalse(channel.fullRoundCompleted(now + MS), "a round with a change leaves the channel busy");
        assertEquals(now + RATE_LIMIT, channel.nextFullRoundNanos(RATE_LIMIT, false));

        long expectedWait = SyncChannel.QUIET_FIRST_NANOS;
        for (int round = 0; round < 12; round++)
        {
            now += 200 * MS;
            channel.fullRoundStarted(now);
            assertTrue(channel.fullRoundCompleted(now + MS), "a round without a change makes the channel quiet");
            assertTrue(channel.quiet());
            assertEquals(now + Math.max(RATE_LIMIT, expectedWait), channel.nextFullRoundNanos(RATE_LIMIT, false),
                "wait after quiet round " + round);
            expectedWait = Math.min(SyncChannel.QUIET_MAX_NANOS, 2 * expectedWait);
        }
        assertEquals(now + SyncChannel.QUIET_MAX_NANOS, channel.nextFullRoundNanos(RATE_LIMIT, false),
            "the wait stops growing at the longest");
        assertEquals(now + RATE_LIMIT, channel.nextFullRoundNanos(RATE_LIMIT, true), "a waiter's round does not wait");

        now += 200 * MS;
        channel.fullRoundStarted(now);
        channel.changed();
        assertFalse(channel.fullRoundCompleted(now + MS));
        assertFalse(channel.quiet());
        assertEquals(now + RATE_LIMIT, channel.nextFullRoundNanos(RATE_LIMIT, false));
    }

    @Test
    void localActivityEndsTheQuietAtOnce()
    {
        final SyncChannel channel = new SyncChannel(0);
        final long now = 1_000 * MS;
        channel.fullRoundStarted(now);
        assertTrue(channel.fullRoundCompleted(now + MS));
        channel.fullRoundStarted(now + 10 * MS);
        assertTrue(channel.fullRoundCompleted(now + 11 * MS));
        assertTrue(channel.nextFullRoundNanos(RATE_LIMIT, false) > now + 10 * MS + RATE_LIMIT);
        channel.endQuiet();
        assertFalse(channel.quiet());
        assertEquals(now + 10 * MS + RATE_LIMIT, channel.nextFullRoundNanos(RATE_LIMIT, false));
    }

    @Test
    void aSlowQuietRoundWaitsAtMostEightTimesItsOwnDuration()
    {
        final SyncChannel channel = new SyncChannel(0);
        long now = 1_000 * MS;
        final long roundTakes = 50 * MS;
        long wait = 0;
        for (int round = 0; round < 20; round++)
        {
            channel.fullRoundStarted(now);
            assertTrue(channel.fullRoundCompleted(now + roundTakes));
            wait = channel.nextFullRoundNanos(RATE_LIMIT, false) - now;
            now += wait + roundTakes;
        }
        assertEquals(SyncChannel.QUIET_ROUND_MULTIPLE * roundTakes, wait,
            "a round of 50 ms waits 400 ms, past the 100 ms that fast rounds stop at");
    }

    @Test
    void aChangeInTheRoundInFlightKeepsTheChannelBusy()
    {
        final SyncChannel channel = new SyncChannel(0);
        final long now = 1_000 * MS;
        channel.fullRoundStarted(now);
        assertTrue(channel.fullRoundCompleted(now + MS));
        channel.fullRoundStarted(now + 5 * MS);
        channel.changed();
        assertFalse(channel.fullRoundCompleted(now + 6 * MS), "the answer brought a value: not quiet");
        channel.fullRoundStarted(now + 7 * MS);
        assertTrue(channel.fullRoundCompleted(now + 8 * MS), "the flag is per round: the next one starts afresh");
        assertEquals(now + 7 * MS + SyncChannel.QUIET_FIRST_NANOS, channel.nextFullRoundNanos(RATE_LIMIT, false));
    }
}
