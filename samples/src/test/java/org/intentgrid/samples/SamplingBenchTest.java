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
 * Smoke test of {@code bench sampling}, small and short: it runs each scheme and writes its rows (no timing is judged).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SamplingBenchTest
{
    @Test
    void runsEverySchemeAndWritesJson(@TempDir final Path dir) throws Exception
    {
        IntentGridCli.quietHazelcast();
        final File json = dir.resolve("sampling.json").toFile();
        final int exit = new CommandLine(new IntentGridCli()).execute("bench", "sampling", "--members", "2",
            "--entities", "2000", "--dim", "8", "--ahead", "20", "--pool-size", "100", "--seconds", "0.5",
            "--warmup", "0.3", "--max-warmup", "0.3", "--json", json.getPath());
        assertEquals(0, exit, "bench exit code");
        final JsonNode schemes = new ObjectMapper().readTree(json).get("schemes");
        assertEquals(5, schemes.size());
        for (final JsonNode row : schemes)
        {
            assertTrue(row.get("samples_per_s").asDouble() > 0, row.toString());
        }
        assertTrue(schemes.get(4).get("sample_local_share").asDouble() > 0.99, "local scheme: " + schemes.get(4));
        assertTrue(schemes.get(3).get("pool_refreshes").asLong() > 0, "pool scheme redraws its pool: " +
            schemes.get(3));
    }
}
