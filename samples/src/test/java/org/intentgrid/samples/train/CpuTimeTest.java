package org.intentgrid.samples.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CpuTimeTest
{
    private static final long BURN_NANOS = 50_000_000L;

    @Test
    void anEndedThreadKeepsItsCpuAndAWorkersIsNotCounted() throws InterruptedException
    {
        final long before = NonWorkerThreadsCpu.THIS_JVM.nanos();
        final long afterHelper = burnOnThreadNamed("intentgrid-sync-test");
        assertTrue(afterHelper - before >= BURN_NANOS * 9 / 10,
            "the ended helper's CPU stays counted: " + (afterHelper - before) + " ns");
        final long afterWorker = burnOnThreadNamed("mf-worker-0");
        assertTrue(afterWorker - afterHelper < BURN_NANOS / 2,
            "a worker's CPU is the workers' count, not this one's: " + (afterWorker - afterHelper) + " ns");
    }

    /**
     * @return the clock's reading once a thread of that name burned its CPU and ended, read while it ran too. The
     *         thread ends only after the clock saw all of its CPU: the clock counts an ended thread as far as it saw
     *         it, and a poll that happens to come a few milliseconds early on a loaded machine would lose the rest
     */
    private static long burnOnThreadNamed(final String name) throws InterruptedException
    {
        final CountDownLatch burned = new CountDownLatch(1);
        final CountDownLatch seen = new CountDownLatch(1);
        final Thread thread = new Thread(() ->
        {
            burn();
            burned.countDown();
            awaitQuietly(seen);
        }, name);
        thread.start();
        while (!burned.await(5, TimeUnit.MILLISECONDS))
        {
            NonWorkerThreadsCpu.THIS_JVM.nanos();
        }
        NonWorkerThreadsCpu.THIS_JVM.nanos();
        seen.countDown();
        thread.join();
        return NonWorkerThreadsCpu.THIS_JVM.nanos();
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void otherCpuIsTheOtherThreadsAtLeastEvenWhenTheProcessTicksCountLess()
    {
        final CpuTime shortSpan = new CpuTime(3_000_000, 400_000, 0, 1);
        assertEquals(400_000, shortSpan.otherNanos(), "a span with no tick counts its threads' own time");
        final CpuTime longSpan = new CpuTime(300_000_000, 40_000_000, 360_000_000, 1);
        assertEquals(60_000_000, longSpan.otherNanos(), "JIT and GC are what the ticks count beyond Java threads");
        final CpuTime earlier = new CpuTime(1, 2, 3, 2);
        assertEquals(null, longSpan.since(earlier), "a lost member's share cannot be told apart");
    }

    private static void burn()
    {
        final long start = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long x = 1;
        while (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - start < BURN_NANOS)
        {
            for (int i = 0; i < 10_000; i++)
            {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        if (x == 42)
        {
            System.out.println(x);
        }
    }
}
