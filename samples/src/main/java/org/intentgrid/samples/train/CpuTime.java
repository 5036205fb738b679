package org.intentgrid.samples.train;

import org.intentgrid.samples.ThreadCpu;

import java.io.Serializable;

/**
 * Cumulative CPU time of the JVMs that run a pool's members: of their worker threads, of their other Java threads
 * (sync, I/O, Hazelcast), both to the nanosecond, and of the whole processes (all of these plus JIT and GC threads,
 * in clock ticks), and how many member JVMs the sums cover.
 */
record CpuTime(long workerNanos, long otherThreadsNanos, long processNanos, int jvms) implements Serializable
{
    static final CpuTime ZERO = new CpuTime(0, 0, 0, 0);

    /** @return this JVM's CPU with {@code workerNanos} of it used by workers */
    static CpuTime ofThisJvm(final long workerNanos)
    {
        return new CpuTime(workerNanos, NonWorkerThreadsCpu.THIS_JVM.nanos(), ThreadCpu.processCpuNanos(), 1);
    }

    CpuTime plus(final CpuTime other)
    {
        return new CpuTime(workerNanos + other.workerNanos, otherThreadsNanos + other.otherThreadsNanos,
            processNanos + other.processNanos, jvms + other.jvms);
    }

    /**
     * @return the CPU used since {@code earlier}, or null if the two do not cover the same JVMs (a member was lost
     *         in between, and its share cannot be told apart)
     */
    CpuTime since(final CpuTime earlier)
    {
        return jvms != earlier.jvms ? null :
            new CpuTime(workerNanos - earlier.workerNanos, otherThreadsNanos - earlier.otherThreadsNanos,
                processNanos - earlier.processNanos, jvms);
    }

    /**
     * @return CPU of everything but the workers: the other Java threads' own, and what the process's ticks count
     *         beyond all Java threads (JIT, GC), never below zero, as a span shorter than a few ticks can count less
     *         than its threads used
     */
    long otherNanos()
    {
        return otherThreadsNanos + Math.max(0, processNanos - workerNanos - otherThreadsNanos);
    }
}
