package org.intentgrid.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test of {@code bench apps} on tiny data: every app runs in two configurations, each with a warm-up epoch
 * before the measured ones, and is reported (no timing is judged).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AppsBenchTest
{
    @Test
    void runsEveryAppAndWritesJsonAndChart(@TempDir final Path dir) throws Exception
    {
        IntentGridCli.quietHazelcast();
        final File json = dir.resolve("apps.json").toFile();
        final int exit = new CommandLine(new IntentGridCli()).execute("bench", "apps", "--small", "--epochs", "2",
            "--warmup-epochs", "1", "--only", "1x1,2x1-adaptive", "--relocation-limit", "2", "--json", json.getPath());
        assertEquals(0, exit, "bench exit code");
        final JsonNode document = new ObjectMapper().readTree(json);
        assertEquals(2, document.get("relocation_limit").asInt(), "the limit the runs used is in the result");
        final JsonNode apps = document.get("apps");
        for (final String app : List.of("mf", "kge", "w2v"))
        {
            assertEquals(1, apps.get(app).get("warmup_epochs").asInt(), app + ": the warm-up is in the result");
            final JsonNode rows = apps.get(app).get("configurations");
            assertEquals(2, rows.size(), app + ": " + rows);
            final JsonNode distributed = rows.get("2x1-adaptive");
            final JsonNode seconds = distributed.get("seconds_per_epoch");
            assertEquals(3, seconds.size(), "each run trains its warm-up epoch and the two measured ones: " + seconds);
            assertEquals(seconds.get(0).asDouble(), distributed.get("warmup_seconds_median").asDouble(),
                "the warm-up's seconds are its first epoch's");
            assertEquals((seconds.get(1).asDouble() + seconds.get(2).asDouble()) / 2,
                distributed.get("seconds_median").asDouble(), 1e-9, "the median of the measured epochs only");
            assertTrue(distributed.get("speedup_vs_1x1").asDouble() > 0, distributed.toString());
            assertTrue(distributed.get("warmup_speedup_vs_1x1").asDouble() > 0, distributed.toString());
            assertTrue(distributed.get("other_cpu_seconds_per_epoch").asDouble() > 0, distributed.toString());
            assertEquals(2, distributed.get("members").asInt());
        }
        assertTrue(dir.resolve("apps.png").toFile().length() > 0, "the bar chart is written next to the JSON");
    }

    @Test
    void rejectsNegativeWarmupBeforeRunningAnything(@TempDir final Path dir)
    {
        final File json = dir.resolve("apps.json").toFile();
        final StringWriter err = new StringWriter();
        final CommandLine cli = IntentGridCli.configure(new CommandLine(new IntentGridCli()));
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("bench", "apps", "--small", "--warmup-epochs", "-1", "--json", json.getPath()));
        assertTrue(err.toString().contains("--warmup-epochs -1") && err.toString().contains("0 or more warm-up"),
            err.toString());
        assertFalse(json.exists(), "nothing ran, nothing was written");
    }
}
