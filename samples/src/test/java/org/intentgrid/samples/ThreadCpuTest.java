package org.intentgrid.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadCpuTest
{
    @Test
    void groupsThreadsByTheNamesTheGridAndHazelcastGiveThem()
    {
        assertEquals(ThreadCpu.WORKERS, ThreadCpu.groupOf("zipf-adaptive", "zipf-"));
        assertEquals(ThreadCpu.SYNC, ThreadCpu.groupOf("intentgrid-sync-m1-0", "zipf-"));
        assertEquals(ThreadCpu.GRID_OTHER, ThreadCpu.groupOf("intentgrid-io-m1-2", "zipf-"));
        assertEquals(ThreadCpu.GRID_OTHER, ThreadCpu.groupOf("intentgrid-backup-m1", "zipf-"));
        assertEquals(ThreadCpu.HAZELCAST, ThreadCpu.groupOf("hz.quirky_name.generic-operation.thread-0", "zipf-"));
        assertEquals(ThreadCpu.OTHER_JAVA, ThreadCpu.groupOf("main", "zipf-"));
    }

    @Test
    void aBusyWorkerThreadsCpuLandsInItsGroupAndInTheTotal() throws InterruptedException
    {
        final AtomicBoolean burning = new AtomicBoolean(true);
        final ThreadCpu before = ThreadCpu.now();
        final Thread busy = new Thread(() -> burn(burning), "zipf-test");
        busy.start();
        while (ManagementFactory.getThreadMXBean().getThreadCpuTime(busy.getId()) < 300_000_000L)
        {
            Thread.sleep(10);
        }
        final ThreadCpu during = ThreadCpu.now();
        burning.set(false);
        busy.join();
        final Map<String, Double> cores = during.coresSince(before, "zipf-");
        assertEquals(7, cores.size(), "every group and the total: " + cores);
        assertTrue(cores.get(ThreadCpu.WORKERS) * during.secondsSince(before) >= 0.3,
            "the worker's 0.3 s of CPU are counted: " + cores);
        assertTrue(cores.get(ThreadCpu.TOTAL) >= cores.get(ThreadCpu.WORKERS) * 0.95,
            "the process's CPU includes the worker's: " + cores);
        assertThrows(IllegalArgumentException.class, () -> before.coresSince(during, "zipf-"));
    }

    private static void burn(final AtomicBoolean burning)
    {
        long x = 1;
        while (burning.get())
        {
            for (int i = 0; i < 10_000; i++)
            {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        if (x == 0)
        {
            throw new AssertionError("unreachable for this generator");
        }
    }
}
