package org.intentgrid.samples.train;

import org.intentgrid.samples.ThreadCpu;

import java.util.HashMap;
import java.util.Map;

/**
 * Cumulative CPU time of this JVM's Java threads other than the training workers (members' sync, I/O and Hazelcast
 * threads, and the thread that drives the epochs), to the nanosecond. The JVM counts its process's CPU time in clock
 * ticks (10 ms on Linux), longer than a small epoch, so what these threads use is read from the threads themselves.
 * A thread that ends keeps what it was last seen using.
 */
final class NonWorkerThreadsCpu
{
    static final NonWorkerThreadsCpu THIS_JVM = new NonWorkerThreadsCpu();

    private Map<Long, Long> lastSeen = new HashMap<>();
    private long endedNanos;

    private NonWorkerThreadsCpu()
    {
    }

    /** @return CPU time used so far by this JVM's non-worker Java threads, as far as this clock has seen them */
    synchronized long nanos()
    {
        final Map<Long, Long> seen = new HashMap<>();
        long liveNanos = 0;
        for (final Map.Entry<Long, ThreadCpu.ThreadTime> thread : ThreadCpu.threadTimes().entrySet())
        {
            if (!EmbeddedPool.isWorker(thread.getValue().name()))
            {
                seen.put(thread.getKey(), thread.getValue().cpuNanos());
                liveNanos += thread.getValue().cpuNanos();
            }
        }
        for (final Map.Entry<Long, Long> thread : lastSeen.entrySet())
        {
            if (!seen.containsKey(thread.getKey()))
            {
                endedNanos += thread.getValue();
            }
        }
        lastSeen = seen;
        return endedNanos + liveNanos;
    }
}
