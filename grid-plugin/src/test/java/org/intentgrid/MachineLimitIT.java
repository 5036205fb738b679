package org.intentgrid;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
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
 * A member in a container-sized memory cgroup (1 GiB, as a container's limit) with {@code -Xmx256m} and the default
 * reserve creates a table of 2M x 64 floats (608 MB with slot headers): the creation is refused with a message naming
 * the limit, and the member lives on. Before the machine's memory was checked, the same run was ended by the kernel's
 * out-of-memory killer (exit 137). Needs a writable memory cgroup (root on cgroup v1 or v2); skipped otherwise.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MachineLimitIT
{
    private static final long LIMIT = 1L << 30;

    @Test
    void aMemberInASmallContainerRefusesATableThatDoesNotFitInsteadOfBeingKilled() throws Exception
    {
        final Path group = createMemoryCgroup();
        Assumptions.assumeTrue(group != null, "no writable memory cgroup on this machine");
        final Path log = Paths.get("target").toAbsolutePath().resolve("machine-limit.log");
        final List<String> command = new ArrayList<>(List.of("sh", "-c",
            "echo $$ > " + group.resolve("cgroup.procs") + " && exec \"$0\" \"$@\""));
        command.addAll(ForkedJvms.command(List.of("-Xmx256m"), MachineLimitMain.class, "2000000", "64"));
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(log.toFile());
        final Process process = builder.start();
        try
        {
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(150, TimeUnit.SECONDS), "the forked member finished");
            assertEquals(0, process.exitValue(), "the forked member was refused and lived on (137 = killed):\n" +
                out + "\n(its log: " + log + ")");
            assertTrue(out.contains("REFUSED ") && out.contains("table 'too-big'") &&
                out.contains("the machine's memory leaves them (" + LIMIT + " bytes") &&
                out.contains(GridConfig.MACHINE_MEMORY_RESERVE_PROP_NAME) && out.trim().endsWith("OK"),
                "the refusal names the table, the container's limit and the setting: " + out);
        }
        finally
        {
            process.destroyForcibly().waitFor();
            Files.delete(group);
        }
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
