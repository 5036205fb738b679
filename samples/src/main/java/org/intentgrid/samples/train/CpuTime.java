package org.intentgrid.samples.train;

import org.intentgrid.samples.ThreadCpu;

import java.io.Serializable;

/**
 * Cumulative CPU time of the JVMs that run a pool's members: of their worker threads and of the whole processes
 * (workers plus sync, I/O, Hazelcast, JIT and GC threads), and how many member JVMs the sums cover.
 */
record CpuTime(long workerNanos, long processNanos, int jvms) implements Serializable
{
    static final CpuTime ZERO = new CpuTime(0, 0, 0);

    /** @return this JVM's process CPU with {@code workerNanos} of it used by workers */
    static CpuTime ofThisJvm(final long workerNanos)
    {
        return new CpuTime(workerNanos, ThreadCpu.processCpuNanos(), 1);
    }

    CpuTime plus(final CpuTime other)
    {
        return new CpuTime(workerNanos + other.workerNanos, processNanos + other.processNanos, jvms + other.jvms);
    }

    /**
     * @return the CPU used since {@code earlier}, or null if the two do not cover the same JVMs (a member was lost
     *         in between, and its share cannot be told apart)
     */
    CpuTime since(final CpuTime earlier)
    {
        return jvms != earlier.jvms ? null :
            new CpuTime(workerNanos - earlier.workerNanos, processNanos - earlier.processNanos, jvms);
    }

    /** @return CPU of everything but the workers: sync, I/O and Hazelcast threads, JIT, GC */
    long otherNanos()
    {
        return processNanos - workerNanos;
    }
}
