package org.intentgrid.samples.train;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import org.intentgrid.GridConfig;
import org.intentgrid.ParameterGrid;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

/**
 * {@code --fork}: this JVM runs member 0; {@code members - 1} member JVMs are started on 127.0.0.1 with the same
 * classpath and join its cluster. Each epoch, every member gets an {@link ForkedMember.EpochTask} through
 * Hazelcast's executor service and trains its own workers. The member JVMs are destroyed on close, by a shutdown
 * hook if this JVM is stopped (Ctrl-C), and they exit by themselves when this JVM dies.
 */
final class ForkedPool implements WorkerPool
{
    private static final long JOIN_TIMEOUT_MILLIS = 120_000;

    private final TrainOptions options;
    private final AppRecipe recipe;
    private final ParameterGrid grid;
    private final List<Process> children = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final Thread cleanup = new Thread(this::destroyChildren, "intentgrid-fork-cleanup");
    private final IExecutorService executor;
    private final List<Member> members = new ArrayList<>();

    ForkedPool(final TrainingApp app, final TrainOptions options, final AppRecipe recipe)
    {
        this.options = options;
        this.recipe = recipe;
        final GridConfig config = options.gridConfig().members(1);
        this.grid = ParameterGrid.start(config);
        ForkedMember.install(grid, app);
        Runtime.getRuntime().addShutdownHook(cleanup);
        try
        {
            for (int i = 1; i < options.members; i++)
            {
                children.add(startChild(config, i));
            }
            final HazelcastInstance hz = grid.member(0).hazelcast();
            awaitMembers(hz);
            members.add(hz.getCluster().getLocalMember());
            for (final Member member : hz.getCluster().getMembers())
            {
                if (!member.localMember())
                {
                    members.add(member);
                }
            }
            executor = hz.getExecutorService("intentgrid-train");
        }
        catch (final RuntimeException e)
        {
            close();
            throw e;
        }
    }

    private Process startChild(final GridConfig config, final int index)
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try
        {
            final Path log = Files.createTempFile("intentgrid-member-" + index + "-", ".log");
            logs.add(log);
            return new ProcessBuilder(java, "-Xmx2g", "-Djava.net.preferIPv4Stack=true", "-cp",
                System.getProperty("java.class.path"), "org.intentgrid.samples.IntentGridCli", "member",
                "--cluster-name", config.clusterName(), "--mode", options.mode, "--base-port",
                String.valueOf(config.basePort()), "--max-rounds-per-second",
                String.valueOf(config.maxRoundsPerSecond()), "--backups", String.valueOf(config.backups()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot start member JVM " + index, e);
        }
    }

    private void awaitMembers(final HazelcastInstance hz)
    {
        final long deadline = System.currentTimeMillis() + JOIN_TIMEOUT_MILLIS;
        while (hz.getCluster().getMembers().size() < options.members)
        {
            for (int i = 0; i < children.size(); i++)
            {
                if (!children.get(i).isAlive())
                {
                    throw new IllegalStateException("member JVM " + (i + 1) + " exited with code " +
                        children.get(i).exitValue() + "; its output is in " + logs.get(i));
                }
            }
            if (System.currentTimeMillis() > deadline)
            {
                throw new IllegalStateException("member JVMs did not join within " + JOIN_TIMEOUT_MILLIS / 1000 +
                    " s; their output is in " + logs);
            }
            sleep(100);
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
                new ForkedMember.EpochTask(recipe, epoch, m, members.size(), options.threads), members.get(m)));
        }
        final double[] sum = new double[2];
        long reported = 0;
        for (final Future<double[]> future : futures)
        {
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
                    checkChildren();
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while training", e);
                }
                catch (final ExecutionException e)
                {
                    throw new IllegalStateException("training failed on a member: " + e.getCause(), e.getCause());
                }
            }
        }
        return sum;
    }

    private void checkChildren()
    {
        for (int i = 0; i < children.size(); i++)
        {
            if (!children.get(i).isAlive())
            {
                throw new IllegalStateException("member JVM " + (i + 1) + " died; its output is in " + logs.get(i));
            }
        }
    }

    @Override
    public long workerCpuNanos()
    {
        return -1;
    }

    @Override
    public Traffic traffic()
    {
        Traffic sum = Traffic.ZERO;
        for (final Future<Traffic> future : executor.submitToAllMembers(new ForkedMember.TrafficTask()).values())
        {
            sum = sum.plus(get(future));
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
        destroyChildren();
        try
        {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        catch (final IllegalStateException e)
        {
            // the JVM is shutting down already; the hook runs (or ran) destroyChildren itself
        }
        grid.close();
        for (final Path log : logs)
        {
            final File file = log.toFile();
            if (file.exists() && !file.delete())
            {
                file.deleteOnExit();
            }
        }
    }

    private void destroyChildren()
    {
        for (final Process child : children)
        {
            child.destroy();
        }
        for (final Process child : children)
        {
            try
            {
                if (!child.waitFor(10, TimeUnit.SECONDS))
                {
                    child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                child.destroyForcibly();
            }
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
