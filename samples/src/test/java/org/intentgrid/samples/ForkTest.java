package org.intentgrid.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --fork}: member JVMs start, join, train their share (with barriers, for mf) and are gone afterwards. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ForkTest
{
    @Test
    void forkedMembersTrainAndAreCleanedUp(@TempDir final Path dir) throws Exception
    {
        IntentGridCli.quietHazelcast();
        final File json = dir.resolve("mf.json").toFile();
        final int exit = IntentGridCli.configure(new CommandLine(new IntentGridCli())).execute("mf", "--fork",
            "--members", "2", "--epochs", "3", "--gen-rows", "400", "--gen-columns", "200", "--gen-entries", "8000",
            "--quiet", "--json", json.getPath());
        assertEquals(0, exit, "mf --fork exit code");
        final JsonNode result = new ObjectMapper().readTree(json);
        assertEquals(2, result.get("members").asInt());
        final JsonNode epochs = result.get("epochs");
        assertEquals(3, epochs.size());
        assertTrue(epochs.get(2).get("test_rmse").asDouble() < epochs.get(0).get("test_rmse").asDouble(),
            "trained: " + epochs);
        assertTrue(epochs.get(2).get("bytes_sent").asLong() > 0, "members talked to each other");
        for (final JsonNode epoch : epochs)
        {
            assertEquals(2, epoch.get("cpu_jvms").asInt(), "CPU is summed over both member JVMs: " + epoch);
            assertTrue(epoch.get("worker_cpu_seconds").asDouble() > 0 && epoch.get("other_cpu_seconds").asDouble() > 0,
                "workers and the rest of the members' JVMs used CPU: " + epoch);
        }
        assertEquals(0, memberJvms(ProcessHandle.current()), "no member JVM is left running");
    }

    /**
     * {@code --kill-member}: member JVM 2 of 3 is killed with SIGKILL during epoch 2; the run goes on with the
     * survivors (the killed member's keys recovered from their backups, its data shared by the others) and ends
     * with about the quality of an uninterrupted run.
     */
    @Test
    void aRunWhoseMemberIsKilledGoesOnAndEndsWithTheSameQuality(@TempDir final Path dir) throws Exception
    {
        IntentGridCli.quietHazelcast();
        final List<String> data = List.of("--epochs", "5", "--gen-rows", "2000", "--gen-columns", "400",
            "--gen-entries", "60000", "--quiet");
        final File killedJson = dir.resolve("killed.json").toFile();
        final List<String> killed = new ArrayList<>(List.of("mf", "--fork", "--members", "3",
            "--kill-member", "2", "--kill-at-epoch", "2", "--json", killedJson.getPath()));
        killed.addAll(data);
        assertEquals(0, IntentGridCli.configure(new CommandLine(new IntentGridCli())).execute(
            killed.toArray(new String[0])), "mf --kill-member exit code");
        final File uninterruptedJson = dir.resolve("uninterrupted.json").toFile();
        final List<String> uninterrupted = new ArrayList<>(List.of("mf", "--members", "3", "--json",
            uninterruptedJson.getPath()));
        uninterrupted.addAll(data);
        assertEquals(0, IntentGridCli.configure(new CommandLine(new IntentGridCli())).execute(
            uninterrupted.toArray(new String[0])), "uninterrupted mf exit code");

        final JsonNode result = new ObjectMapper().readTree(killedJson);
        final JsonNode crash = result.get("crash");
        assertTrue(crash != null, "the result reports the crash: " + result);
        assertEquals(2, crash.get("member").asInt());
        assertEquals(2, crash.get("epoch").asInt());
        assertTrue(crash.get("epoch_repeated").asBoolean(), "the survivors trained the interrupted epoch again: " +
            crash);
        assertEquals(1, crash.get("recoveries").asInt(), "the killed member's holder recovered it: " + crash);
        assertTrue(crash.get("keys_recovered").asLong() > 0, "main copies were recovered: " + crash);
        final long lossWindow = crash.get("loss_window_millis").asLong();
        assertTrue(lossWindow >= 0 && lossWindow < 10_000, "the killed member's last backup was recent: " + crash);
        assertEquals(5, result.get("epochs").size(), "every epoch ran");
        assertFalse(result.get("epochs").get(1).has("cpu_jvms"), "the killed member's CPU in the epoch it died in " +
            "is unknown, so the epoch reports none: " + result.get("epochs").get(1));
        assertEquals(2, result.get("epochs").get(4).get("cpu_jvms").asInt(), "the survivors' CPU");
        final double rmse = result.get("epochs").get(4).get("test_rmse").asDouble();
        final double reference = new ObjectMapper().readTree(uninterruptedJson).get("epochs").get(4)
            .get("test_rmse").asDouble();
        assertTrue(Math.abs(rmse - reference) < 0.15 * reference, "final test RMSE " + rmse + " after the kill vs " +
            reference + " uninterrupted");
        assertEquals(0, memberJvms(ProcessHandle.current()), "no member JVM is left running");
        System.out.println("REPORT kill-member: " + crash + ", final test RMSE " + rmse + " vs " + reference +
            " uninterrupted");
    }

    /**
     * A driver stopped from outside (SIGTERM here; Ctrl-C runs the same shutdown hooks) takes its member JVMs down
     * with it.
     */
    @Test
    void stoppingTheDriverStopsItsMembers(@TempDir final Path dir) throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process driver = new ProcessBuilder(java, "-Xmx1g", "-Djava.net.preferIPv4Stack=true", "-cp",
            System.getProperty("java.class.path"), IntentGridCli.class.getName(), "kge", "--fork", "--members", "2",
            "--epochs", "500", "--gen-entities", "300", "--quiet", "--json", dir.resolve("kge.json").toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("driver.log").toFile()).start();
        try
        {
            final ProcessHandle handle = driver.toHandle();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (memberJvms(handle) == 0 && System.nanoTime() < deadline && driver.isAlive())
            {
                Thread.sleep(100);
            }
            assertEquals(1, memberJvms(handle), "the driver started its member JVM");
            final List<ProcessHandle> members = handle.descendants().toList();
            Thread.sleep(2000);
            driver.destroy();
            assertTrue(driver.waitFor(60, TimeUnit.SECONDS), "the driver exits");
            for (final ProcessHandle member : members)
            {
                member.onExit().get(30, TimeUnit.SECONDS);
                assertTrue(!member.isAlive(), "member JVM " + member.pid() + " exited");
            }
        }
        finally
        {
            driver.destroyForcibly();
        }
    }

    private static long memberJvms(final ProcessHandle parent)
    {
        return parent.descendants().filter(p -> p.info().commandLine().orElse("").contains("IntentGridCli member"))
            .count();
    }
}
