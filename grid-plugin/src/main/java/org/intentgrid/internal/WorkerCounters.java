package org.intentgrid.internal;

import org.intentgrid.GridStats;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Access counters of one worker. The plain fields are written only by the worker's own thread (the local path
 * must not pay for atomics); the atomic ones are also written by the threads that complete remote requests.
 */
final class WorkerCounters
{
    long keysPulled;
    long keysPushed;
    long keysSet;
    long keysLocalized;
    /** Keys of pull, push and set answered from this member's store inside the call. */
    long keysLocal;
    /** Of {@link #keysLocal}, those served by a replica. */
    long keysFromReplica;
    final AtomicLong remoteOps = new AtomicLong();
    final AtomicLong bytesSent = new AtomicLong();
    final AtomicLong bytesReceived = new AtomicLong();

    /** @return the counters as statistics; exact when called by the worker's thread */
    GridStats snapshot()
    {
        return new GridStats(keysPulled, keysPushed, keysSet, keysLocalized, keysLocal, keysFromReplica,
            remoteOps.get(), bytesSent.get(), bytesReceived.get(), 0, 0, 0);
    }
}
