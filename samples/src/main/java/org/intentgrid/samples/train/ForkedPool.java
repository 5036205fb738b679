package org.intentgrid.samples.train;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import org.intentgrid.GridConfig;
import org.intentgrid.ParameterGrid;
import org.intentgrid.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BinaryOperator;
import java.util.function.LongConsumer;

/**
 * {@code --fork}: this JVM runs member 0; {@code members - 1} member JVMs are started on 127.0.0.1 with the same
 * classpath and join its cluster. Each epoch, every member gets an {@link ForkedMember.EpochTask} through
 * Hazelcast's executor service and trains its own workers. The member JVMs are destroyed on close, by a shutdown
 * hook if this JVM is stopped (Ctrl-C), and they exit by themselves when this JVM dies.
 * <p>
 * {@code --cluster}: the same, with members that run already ({@code bin/intentgrid member --config FILE}, on any
 * hosts): this JVM joins their cluster as one more member and waits until it has {@code --members} members. The
 * run's tables carry the run's id and are dropped at its end; the members stay up for the next run.
 */
final class ForkedPool implements WorkerPool
{
    /** The longest the cluster may take to drop a killed member (failure detection included). */
    private static final long REMOVAL_TIMEOUT_MILLIS = 120_000;
    private static final long INSTALL_TIMEOUT_MILLIS = 60_000;

    private final TrainingApp app;
    private final TrainOptions options;
    private final AppRecipe recipe;
    private final ParameterGrid grid;
    private MemberJvms children;
    private final IExecutorService executor;
    private final List<Member> members = new ArrayList<>();
    /** Per member of {@link #members}, the run's worker indexes it trains (a lost member's go to the survivors). */
    private final List<int[]> workerIndexes = new ArrayList<>();
    private volatile long killedAtNanos = -1;
    private CrashReport crash;

    ForkedPool(final TrainingApp app, final TrainOptions options, final AppRecipe recipe)
    {
        this.app = app;
        this.options = options;
        this.recipe = recipe;
        final GridConfig config = options.gridConfig().members(1);
        this.grid = options.cluster == null ? ParameterGrid.start(config) : joinCluster(options, config);
        ForkedMember.install(grid, app, options.runId);
        try
        {
            final HazelcastInstance hz = grid.member(0).hazelcast();
            if (options.cluster == null)
            {
                children = new MemberJvms(config, options.members - 1, List.of("--mode", options.mode,
                    "--max-rounds-per-second", String.valueOf(config.maxRoundsPerSecond()), "--backups",
                    String.valueOf(config.backups()), "--relocation-limit", String.valueOf(config.relocationLimit())));
                children.awaitJoined(hz, options.members);
            }
            else
            {
                awaitClusterSize(hz, options.members);
            }
            members.add(hz.getCluster().getLocalMember());
            for (final Member member : hz.getCluster().getMembers())
            {
                if (!member.localMember())
                {
                    members.add(member);
                }
            }
            for (int m = 0; m < members.size(); m++)
            {
                final int[] indexes = new int[options.threads];
                for (int t = 0; t < indexes.length; t++)
                {
                    indexes[t] = m * options.threads + t;
                }
                workerIndexes.add(indexes);
            }
            executor = hz.getExecutorService("intentgrid-train");
            awaitInstalled();
        }
        catch (final RuntimeException e)
        {
            close();
            throw e;
        }
    }

    /**
     * Waits until every member's JVM installed its training member: a member JVM is in the cluster once its Hazelcast
     * member joined, before its grid registered (which reads the cluster's tables) and the training member is set up.
     */
    private void awaitInstalled()
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(INSTALL_TIMEOUT_MILLIS);
        while (true)
        {
            boolean all = true;
            for (final Future<Boolean> installed : executor.submitToAllMembers(new ForkedMember.InstalledTask())
                .values())
            {
                all &= get(installed);
            }
            if (all)
            {
                return;
            }
            if (children != null)
            {
                children.checkAlive(-1);
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("a member joined the cluster but set up no training member within " +
                    INSTALL_TIMEOUT_MILLIS / 1000 + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
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
        final ClusterCounters counters = new ClusterCounters(grid.member(0).hazelcast());
        counters.reset(ForkedMember.PROGRESS);
        final List<Future<double[]>> futures = new ArrayList<>();
        for (int m = 0; m < members.size(); m++)
        {
            futures.add(executor.submitToMember(
                new ForkedMember.EpochTask(recipe, options.runId, options.tablePrefix(), epoch, workerIndexes.get(m),
                    options.members * options.threads, members.size()), members.get(m)));
        }
        final long epochStart = System.nanoTime();
        final AtomicBoolean trained = new AtomicBoolean();
        final Thread killer = options.killMember > 0 && epoch == options.killAtEpoch && killedAtNanos < 0 ?
            startKiller(trained) : null;
        final double[] sum = new double[2];
        final List<Member> failed = new ArrayList<>();
        long reported = 0;
        for (int m = 0; m < futures.size(); m++)
        {
            final Future<double[]> future = futures.get(m);
            while (true)
            {
                try
                {
                    final double[] result = future.get(200, TimeUnit.MILLISECONDS);
                    sum[0] += result[0];
                    sum[1] += result[1];
                    break;
                }
                catch (final TimeoutException e)
                {
                    final long now = counters.get(ForkedMember.PROGRESS);
                    progress.accept(now - reported);
                    reported = now;
                    if (children != null)
                    {
                        children.checkAlive(killedAtNanos >= 0 ? options.killMember : -1);
                    }
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while training", e);
                }
                catch (final ExecutionException e)
                {
                    if (killer == null)
                    {
                        throw new IllegalStateException("training failed on a member: " + e.getCause(), e.getCause());
                    }
                    // the killed member's share, or a survivor's that stopped at the voided barrier
                    failed.add(members.get(m));
                    break;
                }
            }
        }
        trained.set(true);
        if (killer != null)
        {
            join(killer);
            final double secondsIntoEpoch = (killedAtNanos - epochStart) / 1e9;
            dropLostMembers();
            failed.retainAll(members);
            crash = crashReport(epoch, secondsIntoEpoch, !failed.isEmpty());
            if (!failed.isEmpty())
            {
                // a survivor's worker stopped at the barrier the killed member's workers never reached: its epoch
                // is incomplete, so the survivors train it again from its start (it still counts as one epoch)
                app.beforeRepeat(grid, epoch);
                return trainEpoch(epoch, progress);
            }
        }
        return sum;
    }

    /**
     * Kills member JVM {@code --kill-member} with SIGKILL once the workers processed 40% of the epoch's examples
     * (judged by time, the first epochs' JIT warm-up would put the kill after the end of a later, faster epoch), or
     * right after the epoch if its progress never showed that far ({@code trained}).
     */
    private Thread startKiller(final AtomicBoolean trained)
    {
        final long threshold = Math.max(1, app.examplesPerEpoch() * 2 / 5);
        final ClusterCounters counters = new ClusterCounters(grid.member(0).hazelcast());
        final Thread killer = new Thread(() ->
        {
            while (!trained.get() && counters.get(ForkedMember.PROGRESS) < threshold)
            {
                sleep(5);
            }
            children.kill(options.killMember);
            killedAtNanos = System.nanoTime();
        }, "intentgrid-kill-member");
        killer.start();
        return killer;
    }

    /**
     * Drops the killed member from the members that get epochs: its worker indexes, and so its share of the data,
     * go to the survivors.
     */
    private void dropLostMembers()
    {
        final HazelcastInstance hz = grid.member(0).hazelcast();
        final long deadline = System.nanoTime() + REMOVAL_TIMEOUT_MILLIS * 1_000_000L;
        while (hz.getCluster().getMembers().size() >= members.size() && System.nanoTime() < deadline)
        {
            sleep(50);
        }
        for (int m = members.size() - 1; m >= 0; m--)
        {
            if (!hz.getCluster().getMembers().contains(members.get(m)))
            {
                members.remove(m);
                final int[] orphaned = workerIndexes.remove(m);
                for (int i = 0; i < orphaned.length; i++)
                {
                    final int heir = i % members.size();
                    final int[] grown = Arrays.copyOf(workerIndexes.get(heir), workerIndexes.get(heir).length + 1);
                    grown[grown.length - 1] = orphaned[i];
                    workerIndexes.set(heir, grown);
                }
            }
        }
    }

    /** Waits for the killed member's keys' recovery, and reports it. */
    private CrashReport crashReport(final int epoch, final double secondsIntoEpoch, final boolean epochRepeated)
    {
        final long deadline = System.nanoTime() + REMOVAL_TIMEOUT_MILLIS * 1_000_000L;
        long[] stats = backupStats();
        while (options.backups > 0 && stats[0] == 0 && System.nanoTime() < deadline)
        {
            sleep(50);
            stats = backupStats();
        }
        return new CrashReport(options.killMember, epoch, secondsIntoEpoch, epochRepeated, stats[0], stats[1],
            stats[2], stats[3], stats[4]);
    }

    /**
     * @return the survivors' crash-survival counters: recoveries, keys recovered, last recovery ms, re-sent, and the
     *         age of the lost member's last backup where it was recovered (-1 if nowhere)
     */
    private long[] backupStats()
    {
        final long[] sum = {0, 0, 0, 0, -1};
        for (final Future<long[]> future : executor.submitToAllMembers(new ForkedMember.BackupStatsTask()).values())
        {
            final long[] one = get(future);
            sum[0] += one[0];
            sum[1] += one[1];
            sum[2] = Math.max(sum[2], one[2]);
            sum[3] += one[3];
            sum[4] = Math.max(sum[4], one[4]);
        }
        return sum;
    }

    private static void join(final Thread thread)
    {
        try
        {
            thread.join();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a member was being killed", e);
        }
    }

    @Override
    public CrashReport crash()
    {
        return crash;
    }

    @Override
    public CpuTime cpuTime()
    {
        return sumOverMembers(new ForkedMember.CpuTask(), CpuTime.ZERO, CpuTime::plus);
    }

    @Override
    public Traffic traffic()
    {
        return sumOverMembers(new ForkedMember.TrafficTask(), Traffic.ZERO, Traffic::plus);
    }

    /** @return {@code task}'s answers of every member, added up */
    private <T> T sumOverMembers(final Callable<T> task, final T zero, final BinaryOperator<T> plus)
    {
        T sum = zero;
        for (final Future<T> future : executor.submitToAllMembers(task).values())
        {
            sum = plus.apply(sum, get(future));
        }
        return sum;
    }

    @Override
    public void waitSync()
    {
        final Map<Member, Future<Boolean>> done = executor.submitToAllMembers(new ForkedMember.WaitSyncTask());
        done.values().forEach(ForkedPool::get);
    }

    private static <T> T get(final Future<T> future)
    {
        try
        {
            return future.get(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        catch (final ExecutionException | TimeoutException e)
        {
            throw new IllegalStateException("a member did not answer: " + e, e);
        }
    }

    @Override
    public void close()
    {
        if (children != null)
        {
            children.close();
            grid.close();
            return;
        }
        try
        {
            for (final Table table : TrainingCheckpoints.tablesOf(grid, options.tablePrefix()))
            {
                grid.drop(table);
            }
            executor.submitToAllMembers(new ForkedMember.EndRunTask()).values().forEach(ForkedPool::get);
        }
        finally
        {
            final HazelcastInstance hz = grid.member(0).hazelcast();
            grid.close();
            hz.shutdown();
        }
    }

    /**
     * @return a grid whose one local member (this JVM, the driver) joins the cluster of {@code --cluster}: bound to
     *         {@code --bind}, TCP-IP join through the given addresses, Jet on (as in the example member config)
     */
    private static ParameterGrid joinCluster(final TrainOptions options, final GridConfig config)
    {
        final Config hz = ParameterGrid.hazelcastConfig(config.clusterName(options.clusterName).jet(1));
        final NetworkConfig network = hz.getNetworkConfig();
        network.getInterfaces().clear().addInterface(options.bind);
        network.getJoin().getTcpIpConfig().setMembers(new ArrayList<>(options.cluster));
        final HazelcastInstance instance = Hazelcast.newHazelcastInstance(hz);
        try
        {
            return ParameterGrid.attach(instance, config.clusterName(options.clusterName));
        }
        catch (final RuntimeException e)
        {
            instance.shutdown();
            throw e;
        }
    }

    private static void awaitClusterSize(final HazelcastInstance hz, final int members)
    {
        final long deadline = System.nanoTime() + REMOVAL_TIMEOUT_MILLIS * 1_000_000L;
        while (hz.getCluster().getMembers().size() < members)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the cluster has " + hz.getCluster().getMembers().size() +
                    " members with this one, --members asks for " + members + "; start more with 'bin/intentgrid " +
                    "member --config FILE' or lower --members");
            }
            sleep(100);
        }
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
