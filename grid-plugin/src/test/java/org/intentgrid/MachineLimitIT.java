package org.intentgrid;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Member JVMs in a container-sized memory cgroup (1 GiB, as a container's limit) with {@code -Xmx256m}. Alone, with
 * the default reserve, a member creating a table of 2M x 64 floats (608 MB with slot headers) is refused with a
 * message naming the limit, and lives on. Two members, each with a reserve small enough that the table would fit its
 * own JVM's share: the second is refused because the first holds the rest of the container. Before the machine's
 * memory was checked, and before the second check counted other processes, these runs were ended by the kernel's
 * out-of-memory killer (exit 137). Needs a writable memory cgroup (root on cgroup v1 or v2); skipped otherwise.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MachineLimitIT
{
    private static final long LIMIT = 1L << 30;
    /** A reserve that leaves a JVM with a 256 MiB heap 640 MiB of the container: room for the table on its own. */
    private static final String SMALL_RESERVE = String.valueOf(128L << 20);

    /** The memory cgroup of this test's member JVMs, made before and removed after each test. */
    private Path group;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void createGroup()
    {
        group = createMemoryCgroup();
        Assumptions.assumeTrue(group != null, "no writable memory cgroup on this machine");
    }

    @AfterEach
    void removeGroup() throws Exception
    {
        for (final Process process : processes)
        {
            process.destroyForcibly().waitFor();
        }
        if (group != null)
        {
            Files.delete(group);
        }
    }

    @Test
    void aMemberInASmallContainerRefusesATableThatDoesNotFitInsteadOfBeingKilled() throws Exception
    {
        final Process process = startInGroup("machine-limit", "2000000", "auto");
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertRefusedAndAlive(process, out);
        assertTrue(out.contains("the machine's memory leaves them (" + LIMIT + " bytes") &&
            out.contains(GridConfig.MACHINE_MEMORY_RESERVE_PROP_NAME),
            "the refusal names the table, the container's limit and the setting: " + out);
    }

    @Test
    void aSecondMemberJvmInTheSameContainerIsRefusedWhatTheFirstLeavesTooLittleRoomFor() throws Exception
    {
        final Process first = startInGroup("machine-limit-first", "1200000", SMALL_RESERVE, "hold");
        final BufferedReader firstOut = new BufferedReader(
            new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
        final String holding = firstOut.readLine();
        assertTrue(holding != null && holding.startsWith("HOLDING "),
            "the first member JVM holds 1.2M x 64 floats (365 MB): " + holding);

        final Process second = startInGroup("machine-limit-second", "2000000", SMALL_RESERVE);
        final String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertRefusedAndAlive(second, out);
        assertTrue(out.contains("the machine would have") && out.contains("other member JVMs") &&
            out.contains("its " + LIMIT + " bytes") && out.contains(GridConfig.MACHINE_MEMORY_RESERVE_PROP_NAME),
            "the refusal names the container's limit, what the machine has left and the setting: " + out);

        assertTrue(first.isAlive(), "the first member JVM lives on");
        first.getOutputStream().close();
        final String rest = new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(first.waitFor(60, TimeUnit.SECONDS), "the first member JVM finished");
        assertEquals(0, first.exitValue(), "the first member JVM kept its table and exited cleanly:\n" + rest);
        assertTrue(rest.trim().endsWith("OK"), rest);
    }

    /** Starts {@link MachineLimitMain} with {@code -Xmx256m} inside the test's cgroup; its log goes to target. */
    private Process startInGroup(final String name, final String... args) throws IOException
    {
        final Path log = Paths.get("target").toAbsolutePath().resolve(name + ".log");
        final List<String> command = new ArrayList<>(List.of("sh", "-c",
            "echo $$ > " + group.resolve("cgroup.procs") + " && exec \"$0\" \"$@\""));
        final List<String> mainArgs = new ArrayList<>(List.of(args[0], "64"));
        mainArgs.addAll(List.of(args).subList(1, args.length));
        command.addAll(ForkedJvms.command(List.of("-Xmx256m"), MachineLimitMain.class,
            mainArgs.toArray(new String[0])));
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(log.toFile());
        final Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** Asserts that the forked member was refused its table, named it, and exited cleanly (137 = killed). */
    private static void assertRefusedAndAlive(final Process process, final String out) throws InterruptedException
    {
        assertTrue(process.waitFor(150, TimeUnit.SECONDS), "the forked member finished");
        assertEquals(0, process.exitValue(), "the forked member was refused and lived on (137 = killed):\n" + out);
        assertTrue(out.contains("REFUSED ") && out.contains("table 'too-big'") && out.trim().endsWith("OK"),
            "the refusal names the table: " + out);
        System.out.println(out);
    }

    /** @return a new memory cgroup limited to {@link #LIMIT}, or null if this machine does not let us make one */
    private static Path createMemoryCgroup()
    {
        final String name = "intentgrid-it-" + ProcessHandle.current().pid();
        final Path v1 = Paths.get("/sys/fs/cgroup/memory");
        final Path v2 = Paths.get("/sys/fs/cgroup");
        try
        {
            if (Files.isDirectory(v1) && Files.isWritable(v1))
            {
                final Path group = Files.createDirectory(v1.resolve(name));
                Files.writeString(group.resolve("memory.limit_in_bytes"), String.valueOf(LIMIT));
                return group;
            }
            if (Files.exists(v2.resolve("cgroup.subtree_control")) && Files.isWritable(v2) &&
                Files.readString(v2.resolve("cgroup.subtree_control")).contains("memory"))
            {
                final Path group = Files.createDirectory(v2.resolve(name));
                Files.writeString(group.resolve("memory.max"), String.valueOf(LIMIT));
                return group;
            }
        }
        catch (final IOException | SecurityException e)
        {
            return null;
        }
        return null;
    }
}
