package org.intentgrid.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertTrue(applied.contains(lastOf(100)), "the previous generation is kept");
        assertTrue(applied.contains(lastOf(100 + GENERATION)), "the current one too");

        fill(applied, 100 + 2L * GENERATION);
        assertFalse(applied.contains(lastOf(100)), "the table taken for the newest generation was emptied first");
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

    private static long lastOf(final long firstRequestId)
    {
        return AppliedRequests.fingerprint(firstRequestId + GENERATION - 1, KEY);
    }
}
