package org.intentgrid.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test of {@code bench apps} on tiny data: every app runs in two configurations and is reported (no timing is
 * judged).
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
        assertEquals(1, document.get("warmup_epochs").asInt(), "the untimed warm-up is in the result");
        final JsonNode apps = document.get("apps");
        for (final String app : List.of("mf", "kge", "w2v"))
        {
            final JsonNode rows = apps.get(app);
            assertEquals(2, rows.size(), app + ": " + rows);
            final JsonNode distributed = rows.get("2x1-adaptive");
            assertTrue(distributed.get("seconds_median").asDouble() > 0, distributed.toString());
            assertTrue(distributed.get("speedup_vs_1x1").asDouble() > 0, distributed.toString());
            assertEquals(distributed.get("seconds_per_epoch").get(1).asDouble(),
                distributed.get("seconds_median_warm").asDouble(), "warm: the median of the second half of the epochs");
            assertTrue(distributed.get("warm_speedup_vs_1x1").asDouble() > 0, distributed.toString());
            assertTrue(distributed.get("other_cpu_seconds_per_epoch").asDouble() > 0, distributed.toString());
            assertEquals(2, distributed.get("members").asInt());
        }
        assertTrue(dir.resolve("apps.png").toFile().length() > 0, "the bar chart is written next to the JSON");
    }
}
