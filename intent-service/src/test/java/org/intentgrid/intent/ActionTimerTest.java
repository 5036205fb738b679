package org.intentgrid.intent;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActionTimerTest
{
    @Test
    void poissonQuantilesMatchTheReference()
    {
        assertEquals(9, ActionTimer.poissonQuantile(2 * 1));
        assertEquals(24, ActionTimer.poissonQuantile(2 * 5));
        assertEquals(39, ActionTimer.poissonQuantile(2 * 10));
        assertEquals(255, ActionTimer.poissonQuantile(2 * 100));
        final long large = ActionTimer.poissonQuantile(2 * 1000);
        assertTrue(large >= 2160 && large <= 2175, "normal approximation near the exact 2168: " + large);
    }

    @Test
    void estimateSmoothsTowardsTheObservedRateAndNeverLagsTheLastRound()
    {
        final ActionTimer timer = new ActionTimer();
        assertEquals(39, timer.window(0), "initial estimate 10 -> window 39");
        long clock = 0;
        for (int round = 0; round < 200; round++)
        {
            clock += 2;
            timer.window(clock);
        }
        assertEquals(2.0, timer.estimate(), 0.01, "settles at 2 clocks per round");
        clock += 50;
        assertEquals(ActionTimer.poissonQuantile(2 * 50), timer.window(clock), "a burst widens the window at once");
    }
}
