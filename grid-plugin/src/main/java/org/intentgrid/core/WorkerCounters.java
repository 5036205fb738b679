package org.intentgrid.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Access counters of one worker. The plain fields are written only by the worker's own thread (the
 * local path must not pay for atomics); the atomic ones are also written by the threads that complete
 * remote requests.
 */
public final class WorkerCounters
{
    public long keysPulled;
    public long keysPushed;
    public long keysSet;
    public long keysLocalized;
    /** Keys of pull, push and set answered from this member's store inside the call. */
    public long keysLocal;
    /** Of {@link #keysLocal}, those served by a replica. */
    public long keysFromReplica;
    public final AtomicLong remoteOps = new AtomicLong();
    public final AtomicLong bytesSent = new AtomicLong();
    public final AtomicLong bytesReceived = new AtomicLong();
}
