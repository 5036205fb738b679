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
 * Smoke test of {@code bench zipf}, tiny and short: each mode comes back as a JSON row with its throughput, locality,
 * waits and CPU by thread group (no timing is judged).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ZipfBenchTest
{
    @Test
    void reportsEachModeWithItsWaitsAndCpuByThreadGroup(@TempDir final Path dir) throws Exception
    {
        IntentGridCli.quietHazelcast();
        final File json = dir.resolve("zipf.json").toFile();
        final int exit = new CommandLine(new IntentGridCli()).execute("bench", "zipf", "--members", "2", "--keys",
            "2000", "--dim", "4", "--ahead", "10", "--seconds", "1", "--warmup", "0.5", "--max-warmup", "0.5",
            "--modes", "adaptive,single", "--json", json.getPath());
        assertEquals(0, exit, "bench exit code");
        final JsonNode modes = new ObjectMapper().readTree(json).get("modes");
        assertEquals(2, modes.size());
        for (final JsonNode row : modes)
        {
            final String mode = row.get("mode").asText();
            assertTrue(row.get("batches_per_s").asDouble() > 0, mode + " ran batches");
            final double waited = row.get("waiting_batch_share").asDouble();
            assertTrue(waited >= 0 && waited <= 1, mode + " waiting share is a share: " + waited);
            final JsonNode cores = row.get("cpu_cores");
            for (final String group : new String[] {ThreadCpu.WORKERS, ThreadCpu.SYNC, ThreadCpu.GRID_OTHER,
                ThreadCpu.HAZELCAST, ThreadCpu.OTHER_JAVA, ThreadCpu.JVM, ThreadCpu.TOTAL})
            {
                assertTrue(cores.has(group) && cores.get(group).asDouble() >= 0, mode + " reports " + group);
            }
            assertTrue(cores.get(ThreadCpu.WORKERS).asDouble() > 0, mode + ": the workers used CPU " + cores);
            final double warmUp = row.get("warmup_seconds").asDouble();
            assertTrue(warmUp >= 0.5 && warmUp < 5,
                mode + ": warmed up for --warmup, as --max-warmup allows no more: " + warmUp);
            assertTrue(row.get("jit_busy").asDouble() >= 0, mode + " reports how busy the JIT was");
        }
        final JsonNode single = modes.get(1);
        assertEquals(0.0, single.get("waiting_batch_share").asDouble(), "one member holds every key: no waits");
        assertTrue(modes.get(0).get("cpu_cores").get(ThreadCpu.SYNC).asDouble() > 0,
            "two members with intents run sync rounds");
    }
}
