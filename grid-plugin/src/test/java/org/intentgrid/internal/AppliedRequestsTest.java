package org.intentgrid.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class AppliedRequestsTest
{
    private static final int GENERATION = AppliedRequests.GENERATION;
    private static final long KEY = 7;

    @Test
    void anUpdateIsAppliedOnceAndItsRetryRecognisedForAtLeastOneMoreGeneration()
    {
        final AppliedRequests applied = new AppliedRequests();
        final long first = AppliedRequests.fingerprint(1, 42);
        assertTrue(applied.add(first), "a new update is applied");
        assertFalse(applied.add(first), "its retry is not");
        assertTrue(applied.add(AppliedRequests.fingerprint(1, 43)), "another key of the request is another update");
        assertFalse(applied.contains(AppliedRequests.fingerprint(2, 42)), "so is the key in another request");

        fill(applied, 100);
        assertFalse(applied.add(first), "a retry is recognised while the next generation fills");

        fill(applied, 100 + GENERATION);
        assertFalse(applied.contains(first), "two generations later it is forgotten");
        // the two updates of requests 1 made the generations switch two updates before each fill ended
        assertRange(applied, 100, 100 + GENERATION - 2, false, "two generations back: forgotten");
        assertRange(applied, 100 + GENERATION - 2, 100 + 2L * GENERATION, true, "the last two generations: kept");

        fill(applied, 100 + 2L * GENERATION);
        assertRange(applied, 100 + GENERATION - 2, 100 + 2L * GENERATION - 2, false,
            "the table taken for the newest generation was emptied first");
        assertRange(applied, 100 + 2L * GENERATION - 2, 100 + 3L * GENERATION, true, "the last two generations");
        assertTrue(applied.contains(AppliedRequests.fingerprint(100 + 2L * GENERATION, KEY)), "the previous one");
        assertTrue(applied.contains(lastOf(100 + 2L * GENERATION)), "the newest one");
    }

    /** Adds a generation's worth of updates, one per request, from {@code firstRequestId} on. */
    private static void fill(final AppliedRequests applied, final long firstRequestId)
    {
        for (int i = 0; i < GENERATION; i++)
        {
            assertTrue(applied.add(AppliedRequests.fingerprint(firstRequestId + i, KEY)));
        }
    }

    /** Checks that the update {@link #fill} added for each request from {@code from} to {@code to} is known, or not. */
    private static void assertRange(
        final AppliedRequests applied, final long from, final long to, final boolean known, final String what)
    {
        for (long request = from; request < to; request++)
        {
            if (applied.contains(AppliedRequests.fingerprint(request, KEY)) != known)
            {
                fail(what + ": the update of request " + request + (known ? " was forgotten" : " is still known"));
            }
        }
    }

    private static long lastOf(final long firstRequestId)
    {
        return AppliedRequests.fingerprint(firstRequestId + GENERATION - 1, KEY);
    }
}
