package org.intentgrid.samples;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a benchmark's CPU went, by thread group: the CPU time of every live Java thread of this JVM and of the whole
 * process at one moment, and the difference between two such moments in cores (CPU seconds per second). On 2 cores
 * a member's sync, I/O and Hazelcast threads compete with the workers; this shows by how much, in one run, without
 * a profiler. The JVM's own threads (JIT compilers, GC) are not Java threads: they are the process's CPU that no
 * Java thread accounts for, together with threads that ended between the two moments.
 */
public final class ThreadCpu
{
    static final String WORKERS = "workers";
    static final String SYNC = "grid sync";
    static final String GRID_OTHER = "grid I/O and backups";
    static final String HAZELCAST = "Hazelcast";
    static final String OTHER_JAVA = "other Java threads";
    static final String JVM = "JVM (JIT, GC) and ended threads";
    static final String TOTAL = "total";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long nanoTime;
    private final long processCpuNanos;
    private final Map<Long, ThreadTime> threads;

    /** A live thread's name and the CPU time it used so far. */
    public record ThreadTime(String name, long cpuNanos)
    {
    }

    private ThreadCpu(final long nanoTime, final long processCpuNanos, final Map<Long, ThreadTime> threads)
    {
        this.nanoTime = nanoTime;
        this.processCpuNanos = processCpuNanos;
        this.threads = threads;
    }

    /** @return the CPU time of every live thread and of the process, now */
    static ThreadCpu now()
    {
        return new ThreadCpu(System.nanoTime(), processCpuNanos(), threadTimes());
    }

    /** @return every live Java thread of this JVM by id, with its name and CPU time so far, to the nanosecond */
    public static Map<Long, ThreadTime> threadTimes()
    {
        final Map<Long, ThreadTime> threads = new LinkedHashMap<>();
        for (final ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds()))
        {
            if (info == null)
            {
                continue;
            }
            final long nanos = THREADS.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0)
            {
                threads.put(info.getThreadId(), new ThreadTime(info.getThreadName(), nanos));
            }
        }
        return threads;
    }

    /** @return CPU time of this JVM so far: its workers, members' sync, I/O and Hazelcast threads, JIT and GC */
    public static long processCpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    /**
     * @param workerPrefix the name prefix of the benchmark's worker threads
     * @return cores used by each thread group from {@code before} until this moment, in a fixed order, and the total
     */
    Map<String, Double> coresSince(final ThreadCpu before, final String workerPrefix)
    {
        final double seconds = secondsSince(before);
        if (seconds <= 0)
        {
            throw new IllegalArgumentException("coresSince: the earlier moment must come first; got " +
                seconds + " s between them");
        }
        final Map<String, Double> cores = new LinkedHashMap<>();
        for (final String group : new String[] {WORKERS, SYNC, GRID_OTHER, HAZELCAST, OTHER_JAVA, JVM, TOTAL})
        {
            cores.put(group, 0.0);
        }
        long javaNanos = 0;
        for (final Map.Entry<Long, ThreadTime> thread : threads.entrySet())
        {
            final ThreadTime earlier = before.threads.get(thread.getKey());
            final long used = thread.getValue().cpuNanos() - (earlier == null ? 0 : earlier.cpuNanos());
            javaNanos += used;
            cores.merge(groupOf(thread.getValue().name(), workerPrefix), used / 1e9 / seconds, Double::sum);
        }
        final long processNanos = processCpuNanos - before.processCpuNanos;
        cores.put(JVM, Math.max(0, processNanos - javaNanos) / 1e9 / seconds);
        cores.put(TOTAL, processNanos / 1e9 / seconds);
        return cores;
    }

    /** @return the wall-clock seconds from {@code before} until this moment */
    double secondsSince(final ThreadCpu before)
    {
        return (nanoTime - before.nanoTime) / 1e9;
    }

    /** @return the group of a thread, by the names intentgrid, Hazelcast and the benchmark give their threads */
    static String groupOf(final String threadName, final String workerPrefix)
    {
        if (threadName.startsWith(workerPrefix))
        {
            return WORKERS;
        }
        if (threadName.startsWith("intentgrid-sync-"))
        {
            return SYNC;
        }
        if (threadName.startsWith("intentgrid-"))
        {
            return GRID_OTHER;
        }
        if (threadName.startsWith("hz."))
        {
            return HAZELCAST;
        }
        return OTHER_JAVA;
    }
}
