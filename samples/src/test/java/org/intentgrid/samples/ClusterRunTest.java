package org.intentgrid.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --cluster}: three members started as a user starts them ({@code bin/intentgrid member --config FILE}, the
 * example configuration with its cluster name changed, each its own JVM on its own port) and a driver that joins
 * them train mf twice in a row; both runs end with the test RMSE of the same run on four embedded members (mf's
 * DSGD blocks make it deterministic), so the second run did not find the first run's tables. The second run also
 * checkpoints and saves its model: under the names an embedded run uses, without the run's table prefix. A third
 * run resumes from that checkpoint under its own table names and trains one more epoch from the stored model. Then
 * {@code stats} reads every member's report.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ClusterRunTest
{
    private static final String CLUSTER = "intentgrid-cluster-run-test";
    private static final Pattern UP = Pattern.compile("intentgrid member \\[([0-9.]+)]:([0-9]+) of cluster");

    private final List<Process> members = new ArrayList<>();

    @AfterEach
    void stopMembers() throws Exception
    {
        for (final Process member : members)
        {
            member.destroy();
        }
        for (final Process member : members)
        {
            if (!member.waitFor(60, TimeUnit.SECONDS))
            {
                member.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void twoRunsOnMembersStartedFromTheExampleConfigMatchTheEmbeddedRun(@TempDir final Path dir) throws Exception
    {
        IntentGridCli.quietHazelcast();
        final Path yaml = dir.resolve("member.yaml");
        Files.writeString(yaml, Files.readString(Paths.get("..", "config", "hazelcast-intentgrid.yaml"))
            .replace("cluster-name: intentgrid\n", "cluster-name: " + CLUSTER + "\n"));
        final List<String> addresses = new ArrayList<>();
        for (int m = 0; m < 3; m++)
        {
            final Path log = dir.resolve("member-" + m + ".log");
            members.add(new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Djava.net.preferIPv4Stack=true", "-cp", System.getProperty("java.class.path"),
                "org.intentgrid.samples.IntentGridCli", "member", "--config", yaml.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start());
            addresses.add(awaitUp(members.get(m), log));
        }
        final List<String> data = List.of("--members", "4", "--epochs", "3", "--gen-rows", "400", "--gen-columns",
            "200", "--gen-entries", "8000", "--quiet");
        final double first = rmse(dir, "cluster-1", data, "--cluster", String.join(",", addresses), "--cluster-name",
            CLUSTER);
        final double second = rmse(dir, "cluster-2", data, "--cluster", addresses.get(0), "--cluster-name", CLUSTER,
            "--checkpoint-dir", dir.resolve("ckpt").toString(), "--save", dir.resolve("model").toString());
        final double embedded = rmse(dir, "embedded", data);
        System.out.println("REPORT cluster run: test RMSE after 3 epochs " + first + " and " + second +
            " on the cluster, " + embedded + " embedded");
        assertEquals(embedded, first, 0.02 * embedded, "the first cluster run trains as the embedded run");
        assertEquals(embedded, second, 0.02 * embedded, "the second run starts afresh, as the embedded run");
        for (final Process member : members)
        {
            assertTrue(member.isAlive(), "the members stay up between runs");
        }
        try (Stream<Path> files = Files.list(dir.resolve("model")))
        {
            final List<String> names = files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
            assertTrue(names.size() >= 2 && names.stream().noneMatch(name -> name.startsWith("run-")),
                "the model is saved under the table names of an embedded run, not the run's prefixed ones: " + names);
        }
        assertTrue(Files.isRegularFile(dir.resolve("ckpt").resolve("epoch-3").resolve("manifest.properties")),
            "the run on the cluster checkpointed its tables");

        final List<String> more = new ArrayList<>(data);
        more.set(more.indexOf("--epochs") + 1, "4");
        final JsonNode resumed = run(dir, "resumed", more, "--cluster", addresses.get(1), "--cluster-name", CLUSTER,
            "--checkpoint-dir", dir.resolve("ckpt").toString(), "--resume");
        assertEquals(1, resumed.get("epochs").size(), "the resumed run trains epoch 4 only");
        assertEquals(4, resumed.get("epochs").get(0).get("epoch").asInt());
        assertEquals(second, resumed.get("initial_quality").asDouble(), 1e-9,
            "the resumed run, under its own table names, starts from the model the second run checkpointed");
        assertTrue(resumed.get("epochs").get(0).get("test_rmse").asDouble() < second, "and trains on from there");

        // members with the example configuration's deserialization filter accept the stats command's report task
        final File stats = dir.resolve("stats.json").toFile();
        assertEquals(0, IntentGridCli.configure(new CommandLine(new IntentGridCli())).execute("stats", "--cluster",
            addresses.get(2), "--cluster-name", CLUSTER, "--json", stats.getPath()), "stats exit code");
        assertEquals(3, new ObjectMapper().readTree(stats).size(), "every member of the cluster reports");
    }

    /** @return the test RMSE after the last epoch of an mf run with {@code data} and {@code extra} options */
    private static double rmse(final Path dir, final String name, final List<String> data, final String... extra)
        throws Exception
    {
        final JsonNode epochs = run(dir, name, data, extra).get("epochs");
        assertEquals(3, epochs.size());
        return epochs.get(2).get("test_rmse").asDouble();
    }

    /** @return the result of an mf run with {@code data} and {@code extra} options on four members */
    private static JsonNode run(final Path dir, final String name, final List<String> data, final String... extra)
        throws Exception
    {
        final File json = dir.resolve(name + ".json").toFile();
        final List<String> args = new ArrayList<>(List.of("mf", "--json", json.getPath()));
        args.addAll(data);
        args.addAll(List.of(extra));
        assertEquals(0, IntentGridCli.configure(new CommandLine(new IntentGridCli())).execute(
            args.toArray(new String[0])), name + " exit code");
        final JsonNode result = new ObjectMapper().readTree(json);
        assertEquals(4, result.get("members").asInt());
        return result;
    }

    /** @return "host:port" of a member once its log says it is up */
    private static String awaitUp(final Process member, final Path log) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline)
        {
            assertTrue(member.isAlive(), "member started (log " + log + "):\n" + Files.readString(log));
            final Matcher up = UP.matcher(Files.readString(log));
            if (up.find())
            {
                return up.group(1) + ":" + up.group(2);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("member not up within 120 s:\n" + Files.readString(log));
    }
}
