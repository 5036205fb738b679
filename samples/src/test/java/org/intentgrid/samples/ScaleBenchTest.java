package org.intentgrid.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test of {@code bench scale}, tiny and short: each configuration runs in its own forked member JVM and comes
 * back as a JSON row with every measure (no timing is judged), and the chart is written.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ScaleBenchTest
{
    @Test
    void runsEachSizeInItsOwnJvmAndWritesJsonAndChart(@TempDir final Path dir) throws Exception
    {
        IntentGridCli.quietHazelcast();
        final File json = dir.resolve("scale.json").toFile();
        final int exit = new CommandLine(new IntentGridCli()).execute("bench", "scale", "--keys", "20000,40000",
            "--dims", "4", "--seconds", "0.5", "--checkpoint", "--json", json.getPath());
        assertEquals(0, exit, "bench exit code");
        final JsonNode result = new ObjectMapper().readTree(json);
        assertEquals(0, result.get("failed").size(), "no member JVM failed: " + result.get("failed"));
        final JsonNode rows = result.get("rows");
        assertEquals(2, rows.size());
        for (final JsonNode row : rows)
        {
            for (final String measure : new String[] {"create_keys_per_s", "offheap_bytes", "pull_ns", "pull_batch_ns",
                "pull_dependent_ns", "plain_ns", "plain_dependent_ns", "plain_slot_layout_ns",
                "plain_slot_layout_dependent_ns", "load_pull_push_per_s", "checkpoint_s", "checkpoint_bytes",
                "restore_s", "export_s"})
            {
                assertTrue(row.get(measure).asDouble() > 0, measure + " in " + row);
            }
        }
        assertEquals(40000, rows.get(1).get("keys").asLong());
        assertTrue(rows.get(1).get("offheap_bytes").asLong() > rows.get(0).get("offheap_bytes").asLong(),
            "the bigger table takes more native memory: " + rows);
        assertTrue(dir.resolve("scale.png").toFile().isFile(), "the chart was written");
    }
}
