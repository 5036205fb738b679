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
        assertEquals(ActionTimer.poissonQuantile(2 * 2), timer.window(clock + 2), "a steady rate has no deviation");
        clock += 2 + 50;
        assertTrue(timer.window(clock) >= ActionTimer.poissonQuantile(2 * 50), "a burst widens the window at once");
    }

    @Test
    void varyingRoundsWidenTheWindowBeyondTheMean()
    {
        // rounds alternating between 100 and 300 clocks: a window sized for the mean (200) misses every key
        // that a long round's worker reaches
        final ActionTimer timer = new ActionTimer();
        long clock = 0;
        timer.window(clock);
        for (int round = 0; round < 200; round++)
        {
            clock += round % 2 == 0 ? 300 : 100;
            timer.window(clock);
        }
        assertEquals(200, timer.estimate(), 20, "the estimate is the mean");
        clock += 100;
        final long afterShortRound = timer.window(clock);
        assertTrue(afterShortRound >= 2 * 300, "two long rounds fit even after a short one: " + afterShortRound);
    }
}
