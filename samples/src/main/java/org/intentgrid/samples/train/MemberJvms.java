package org.intentgrid.samples.train;

import com.hazelcast.core.HazelcastInstance;
import org.intentgrid.GridConfig;
import org.intentgrid.ParameterGrid;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The member JVMs of a {@code --fork} run: {@code bin/intentgrid member} processes on 127.0.0.1 that join the
 * driver's cluster, each writing its output to a temporary log. They are taken down when the run closes, when the
 * driver exits or is stopped (a shutdown hook), and they stop by themselves once the driver's process is gone.
 */
public final class MemberJvms implements AutoCloseable
{
    private static final long JOIN_TIMEOUT_MILLIS = 120_000;
    /**
     * The JVM flags Hazelcast asks for on JDK 9+ (its faster internals, and no warning at start), the same that
     * {@code bin/intentgrid} gives the driver: member JVMs should run like the driver's member.
     */
    private static final List<String> HAZELCAST_ACCESS_FLAGS = List.of("--add-modules", "java.se",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private final List<Process> children = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final Thread cleanup = new Thread(this::destroyChildren, "intentgrid-fork-cleanup");

    /**
     * Starts {@code count} member JVMs joining the cluster of {@code config}.
     *
     * @param memberArgs options of {@code bin/intentgrid member} beyond the cluster name and base port
     */
    public MemberJvms(final GridConfig config, final int count, final List<String> memberArgs)
    {
        Runtime.getRuntime().addShutdownHook(cleanup);
        try
        {
            for (int i = 1; i <= count; i++)
            {
                children.add(start(config, i, memberArgs));
            }
        }
        catch (final RuntimeException e)
        {
            close();
            throw e;
        }
    }

    /** Work on a grid whose members are up. */
    @FunctionalInterface
    public interface GridTask<R>
    {
        R run(ParameterGrid grid) throws InterruptedException;
    }

    /**
     * Runs {@code task} on a grid of {@code members}: all embedded in this JVM, or with {@code fork} one here and the
     * others each in a JVM of its own (running {@code mode} with {@code jetThreads} Jet threads), joined before the
     * task starts; stops them all afterwards.
     *
     * @param config the configuration of this JVM's members, {@code members} of them or one with {@code fork}
     */
    public static <R> R onGrid(final GridConfig config, final int members, final boolean fork, final String mode,
        final int jetThreads, final GridTask<R> task) throws InterruptedException
    {
        try (ParameterGrid grid = ParameterGrid.start(config);
             MemberJvms jvms = fork ? new MemberJvms(config, members - 1, List.of("--mode", mode, "--jet-threads",
                 String.valueOf(jetThreads))) : null)
        {
            if (jvms != null)
            {
                jvms.awaitJoined(grid.member(0).hazelcast(), members);
            }
            return task.run(grid);
        }
    }

    private Process start(final GridConfig config, final int index, final List<String> memberArgs)
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try
        {
            final Path log = Files.createTempFile("intentgrid-member-" + index + "-", ".log");
            logs.add(log);
            final List<String> command = new ArrayList<>(List.of(java, "-Xmx2g", "-Djava.net.preferIPv4Stack=true"));
            command.addAll(HAZELCAST_ACCESS_FLAGS);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.intentgrid.samples.IntentGridCli",
                "member", "--cluster-name", config.clusterName(), "--base-port", String.valueOf(config.basePort())));
            command.addAll(memberArgs);
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot start member JVM " + index, e);
        }
    }

    /**
     * Waits until the cluster has {@code members} members.
     *
     * @throws IllegalStateException naming the member's log if a member JVM exited, or after two minutes
     */
    public void awaitJoined(final HazelcastInstance hz, final int members)
    {
        final long deadline = System.currentTimeMillis() + JOIN_TIMEOUT_MILLIS;
        while (hz.getCluster().getMembers().size() < members)
        {
            checkAlive(-1);
            if (System.currentTimeMillis() > deadline)
            {
                throw new IllegalStateException("member JVMs did not join within " + JOIN_TIMEOUT_MILLIS / 1000 +
                    " s; their output is in " + logs);
            }
            try
            {
                Thread.sleep(100);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while member JVMs joined", e);
            }
        }
    }

    /**
     * @param expectedDead the member JVM (1-based) that was killed on purpose, or -1
     * @throws IllegalStateException naming the member's log if another member JVM exited
     */
    void checkAlive(final int expectedDead)
    {
        for (int i = 0; i < children.size(); i++)
        {
            if (!children.get(i).isAlive() && i + 1 != expectedDead)
            {
                throw new IllegalStateException("member JVM " + (i + 1) + " exited with code " +
                    children.get(i).exitValue() + "; its output is in " + logs.get(i));
            }
        }
    }

    /** Kills member JVM {@code index} (1-based) with SIGKILL. */
    void kill(final int index)
    {
        children.get(index - 1).destroyForcibly();
    }

    /** Takes every member JVM down and deletes their logs. */
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
}
