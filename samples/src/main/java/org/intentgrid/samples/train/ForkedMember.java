package org.intentgrid.samples.train;

import com.hazelcast.core.HazelcastInstance;
import org.intentgrid.BackupStats;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * The training side of one member JVM in a {@code --fork} run: its grid, the app (rebuilt from the
 * {@link AppRecipe} at the first epoch) and its workers, plus the tasks the driver sends through Hazelcast's
 * executor service. The driver JVM installs its own member here too, so every member trains the same way.
 */
public final class ForkedMember
{
    static final String PROGRESS = "progress";
    private static final long PROGRESS_BATCH = 4096;
    /** Reports of one thread are at least this far apart, whatever its speed (each is a Hazelcast operation). */
    private static final long PROGRESS_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private static volatile ForkedMember current;

    private final ParameterGrid grid;
    private TrainingApp app;
    /** The run {@link #app} and {@link #workers} belong to; null before the first epoch of a member JVM. */
    private String runId;
    private final List<ParameterWorker> workers = new ArrayList<>();
    /** CPU time of this JVM's worker threads, over all epochs it trained. */
    private final LongAdder workerCpuNanos = new LongAdder();

    private ForkedMember(final ParameterGrid grid, final TrainingApp app, final String runId)
    {
        this.grid = grid;
        this.app = app;
        this.runId = runId;
    }

    /**
     * Makes {@code grid} this JVM's training member: in the driver with its already built {@code app} of run
     * {@code runId}; in a member JVM with neither (built from the first epoch's recipe, and again for each new run
     * when the member serves a long-lived cluster).
     */
    public static void install(final ParameterGrid grid, final TrainingApp app, final String runId)
    {
        current = new ForkedMember(grid, app, runId);
    }

    private static ForkedMember current()
    {
        final ForkedMember member = current;
        if (member == null)
        {
            throw new IllegalStateException("this JVM runs no training member");
        }
        return member;
    }

    private synchronized double[] trainEpoch(final EpochTask task)
    {
        final int total = task.totalWorkers;
        if (!task.runId.equals(runId))
        {
            endRun();
            app = task.recipe.build();
            app.declare(grid, total, task.tablePrefix);
            runId = task.runId;
        }
        while (workers.size() < task.workerIndexes.length)
        {
            workers.add(grid.member(0).worker());
        }
        final ClusterCounters counters = new ClusterCounters(grid.member(0).hazelcast());
        final String barrier = "barrier-" + task.runId + "-" + task.epoch;
        final List<EpochContext> contexts = new ArrayList<>();
        for (int t = 0; t < task.workerIndexes.length; t++)
        {
            contexts.add(new EpochContext(workers.get(t), task.workerIndexes[t], total, task.epoch,
                batchedProgress(counters), new CounterBarrier(counters, barrier, total, grid.member(0).hazelcast(),
                task.members)));
        }
        return EmbeddedPool.runThreads(app, contexts, () -> { }, workerCpuNanos);
    }

    /** Forgets the run's app and closes its workers (a member of a long-lived cluster, between runs). */
    private synchronized void endRun()
    {
        for (final ParameterWorker worker : workers)
        {
            worker.close();
        }
        workers.clear();
        app = null;
        runId = null;
    }

    /**
     * @return a progress sink for one thread that reports to the driver's counter in batches, without waiting: a
     *         synchronous report every 1,024 examples (an entry processor and its backup, a round trip of
     *         1-10 ms on a loaded 2-core machine) cost mf 2 x 1 --fork about a third of its epoch, and a report every
     *         4,096 examples still meant over a thousand operations a second for the partition threads of both
     *         members (and the backup's) on the larger benchmark matrix; at most one per 10 ms keeps the driver's
     *         progress bar smooth
     */
    private static LongConsumer batchedProgress(final ClusterCounters counters)
    {
        final long[] pending = new long[1];
        final long[] lastReportNanos = {System.nanoTime()};
        return examples ->
        {
            pending[0] += examples;
            if (pending[0] >= PROGRESS_BATCH)
            {
                final long now = System.nanoTime();
                if (now - lastReportNanos[0] >= PROGRESS_GAP_NANOS)
                {
                    counters.addLater(PROGRESS, pending[0]);
                    pending[0] = 0;
                    lastReportNanos[0] = now;
                }
            }
        };
    }

    /**
     * A barrier across JVMs on a shared counter: the k-th wait of each worker returns once all workers arrived k
     * times. Every worker waits equally often per epoch (the schedules that need barriers guarantee it).
     */
    private static final class CounterBarrier implements Runnable
    {
        private final ClusterCounters counters;
        private final String name;
        private final int workers;
        private final HazelcastInstance hazelcast;
        private final int members;
        private long generation;

        CounterBarrier(final ClusterCounters counters, final String name, final int workers,
            final HazelcastInstance hazelcast, final int members)
        {
            this.counters = counters;
            this.name = name;
            this.workers = workers;
            this.hazelcast = hazelcast;
            this.members = members;
        }

        @Override
        public void run()
        {
            generation++;
            long arrived = counters.add(name, 1);
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (arrived < generation * workers)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("workers on other members did not reach the barrier in 10 minutes");
                }
                if (hazelcast.getCluster().getMembers().size() < members)
                {
                    // a member died: its workers never arrive, and this epoch ends here
                    throw new IllegalStateException("a member was lost during epoch; the workers' barrier is void");
                }
                try
                {
                    Thread.sleep(1);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted at the workers' barrier", e);
                }
                arrived = counters.get(name);
            }
        }
    }

    /** Trains this member's workers for one epoch; returns {@code {loss, count}}. */
    static final class EpochTask implements Callable<double[]>, Serializable
    {
        private static final long serialVersionUID = 1L;

        final AppRecipe recipe;
        final String runId;
        /** Prepended to the app's table names (see {@link TrainOptions#tablePrefix()}). */
        final String tablePrefix;
        final int epoch;
        /** The run's worker indexes this member trains this epoch (a lost member's go to the survivors). */
        final int[] workerIndexes;
        final int totalWorkers;
        /** Members that train this epoch: fewer in the cluster means one was lost during it. */
        final int members;

        EpochTask(final AppRecipe recipe, final String runId, final String tablePrefix, final int epoch,
            final int[] workerIndexes, final int totalWorkers, final int members)
        {
            this.recipe = recipe;
            this.runId = runId;
            this.tablePrefix = tablePrefix;
            this.epoch = epoch;
            this.workerIndexes = workerIndexes;
            this.totalWorkers = totalWorkers;
            this.members = members;
        }

        /** Failures travel back as plain messages: their causes may not be serializable (picocli's are not). */
        @Override
        public double[] call()
        {
            try
            {
                return current().trainEpoch(this);
            }
            catch (final RuntimeException e)
            {
                final IllegalStateException plain = new IllegalStateException(e.toString());
                plain.setStackTrace(e.getStackTrace());
                throw plain;
            }
        }
    }

    /** Ends the run on this member: its app is forgotten and its workers closed (the driver drops the tables). */
    static final class EndRunTask implements Callable<Boolean>, Serializable
    {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean call()
        {
            current().endRun();
            return true;
        }
    }

    /** @return this member's {@link Traffic} */
    static final class TrafficTask implements Callable<Traffic>, Serializable
    {
        private static final long serialVersionUID = 1L;

        @Override
        public Traffic call()
        {
            return Traffic.of(current().grid);
        }
    }

    /** @return the CPU time of this member's JVM and of the worker threads it ran */
    static final class CpuTask implements Callable<CpuTime>, Serializable
    {
        private static final long serialVersionUID = 1L;

        @Override
        public CpuTime call()
        {
            return CpuTime.ofThisJvm(current().workerCpuNanos.sum());
        }
    }

    /**
     * @return this member's crash-survival counters: recoveries, keys recovered, last recovery ms, updates re-sent,
     *         age of the lost member's last backup at the last recovery (ms, -1 if none)
     */
    static final class BackupStatsTask implements Callable<long[]>, Serializable
    {
        private static final long serialVersionUID = 1L;

        @Override
        public long[] call()
        {
            final BackupStats s = current().grid.member(0).backupStats();
            return new long[] {s.recoveries(), s.keysRecovered(), s.lastRecoveryMillis(), s.updatesResent(),
                s.lastBackupAgeMillis()};
        }
    }

    /** Whether this member's JVM installed its training member yet (it joins the cluster a moment before). */
    static final class InstalledTask implements Callable<Boolean>, Serializable
    {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean call()
        {
            return current != null;
        }
    }

    /** Waits for two completed sync rounds on this member. */
    static final class WaitSyncTask implements Callable<Boolean>, Serializable
    {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean call()
        {
            current().grid.waitSync();
            return Boolean.TRUE;
        }
    }
}
