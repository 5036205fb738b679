package org.intentgrid.samples.train;

import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/** All members embedded in this JVM, one thread per worker. */
final class EmbeddedPool implements WorkerPool
{
    private static final String WORKER_INFIX = "-worker-";

    private final TrainingApp app;
    private final ParameterGrid grid;
    private final List<ParameterWorker> workers = new ArrayList<>();
    private final LongAdder workerCpuNanos = new LongAdder();

    EmbeddedPool(final TrainingApp app, final TrainOptions options)
    {
        this.app = app;
        this.grid = ParameterGrid.start(options.gridConfig().members(options.members));
        for (int m = 0; m < options.members; m++)
        {
            for (int t = 0; t < options.threads; t++)
            {
                workers.add(grid.member(m).worker());
            }
        }
    }

    @Override
    public ParameterGrid grid()
    {
        return grid;
    }

    @Override
    public double[] trainEpoch(final int epoch, final LongConsumer progress)
    {
        final CyclicBarrier barrier = new CyclicBarrier(workers.size());
        final Runnable await = () -> awaitBarrier(barrier);
        final List<EpochContext> contexts = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++)
        {
            contexts.add(new EpochContext(workers.get(i), i, workers.size(), epoch, progress, await));
        }
        return runThreads(app, contexts, barrier::reset, workerCpuNanos);
    }

    @Override
    public CpuTime cpuTime()
    {
        return CpuTime.ofThisJvm(workerCpuNanos.sum());
    }

    /** @return whether {@code threadName} is one of the training threads {@link #runThreads} starts */
    static boolean isWorker(final String threadName)
    {
        return threadName.contains(WORKER_INFIX);
    }

    /**
     * Runs one thread per context and sums their {@code {loss, count}}; the first failure is rethrown.
     *
     * @param cpuNanos receives the CPU time each worker thread used
     */
    static double[] runThreads(
        final TrainingApp app, final List<EpochContext> contexts, final Runnable onFailure, final LongAdder cpuNanos)
    {
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final double[][] results = new double[contexts.size()][];
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < contexts.size(); i++)
        {
            final int index = i;
            final Thread thread = new Thread(() ->
            {
                try
                {
                    results[index] = app.trainEpoch(contexts.get(index));
                }
                catch (final Throwable e)
                {
                    failures.add(e);
                    onFailure.run();
                }
                finally
                {
                    cpuNanos.add(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
                }
            }, app.name() + WORKER_INFIX + contexts.get(i).workerIndex());
            threads.add(thread);
            thread.start();
        }
        for (final Thread thread : threads)
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while training", e);
            }
        }
        if (!failures.isEmpty())
        {
            final Throwable first = failures.peek();
            throw first instanceof RuntimeException ? (RuntimeException)first :
                new IllegalStateException("training failed", first);
        }
        final double[] sum = new double[2];
        for (final double[] result : results)
        {
            sum[0] += result[0];
            sum[1] += result[1];
        }
        return sum;
    }

    private static void awaitBarrier(final CyclicBarrier barrier)
    {
        try
        {
            barrier.await(10, TimeUnit.MINUTES);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted at the workers' barrier", e);
        }
        catch (final BrokenBarrierException | TimeoutException e)
        {
            throw new IllegalStateException("another worker failed or stalled at the barrier", e);
        }
    }

    @Override
    public Traffic traffic()
    {
        return Traffic.of(grid);
    }

    @Override
    public void waitSync()
    {
        grid.waitSync();
    }

    @Override
    public void close()
    {
        workers.forEach(ParameterWorker::close);
        grid.close();
    }
}
