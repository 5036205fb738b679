package org.intentgrid.jet;

import com.hazelcast.jet.RestartableException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a job's grid checkpoints and rollbacks meet failures: a passing state (keys in transit while a lost member's
 * keys are recovered) is tried again, and a job is restarted rather than failed if it lasts; a damaged checkpoint or
 * an I/O error fails at once (before, a rollback was tried once: a restart right after a crash could fail the job
 * for good).
 */
class ExactlyOnceCheckpointsTest
{
    @Test
    void aPassingFailureIsTriedAgainUntilItSucceeds()
    {
        final AtomicInteger calls = new AtomicInteger();
        ExactlyOnceCheckpoints.withAttempts("rollback", () ->
        {
            if (calls.incrementAndGet() < 3)
            {
                throw new IllegalStateException("keys in transit");
            }
        });
        assertEquals(3, calls.get());
    }

    @Test
    void aLastingFailureRestartsTheJobInsteadOfFailingIt()
    {
        final AtomicInteger calls = new AtomicInteger();
        final RestartableException e = assertThrows(RestartableException.class, () ->
            ExactlyOnceCheckpoints.withAttempts("grid rollback to /c/7", () ->
            {
                calls.incrementAndGet();
                throw new IllegalStateException("keys in transit");
            }));
        assertEquals(5, calls.get());
        assertTrue(e.getMessage().contains("grid rollback to /c/7 failed 5 times"), e.getMessage());
    }

    @Test
    void aDamagedCheckpointOrADiskErrorFailsAtOnce()
    {
        final AtomicInteger calls = new AtomicInteger();
        assertThrows(IllegalArgumentException.class, () -> ExactlyOnceCheckpoints.withAttempts("rollback", () ->
        {
            calls.incrementAndGet();
            throw new IllegalArgumentException("checkpoint part table-0 is corrupt");
        }));
        assertThrows(UncheckedIOException.class, () -> ExactlyOnceCheckpoints.withAttempts("checkpoint", () ->
        {
            calls.incrementAndGet();
            throw new UncheckedIOException(new IOException("disk full"));
        }));
        assertEquals(2, calls.get());
    }
}
