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

/** The tour, small: it runs all three phases and its exactly-once check passes. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TourCommandTest
{
    @Test
    void tourRunsAndEveryPushIsAccountedFor(@TempDir final Path dir) throws Exception
    {
        IntentGridCli.quietHazelcast();
        final File json = dir.resolve("tour.json").toFile();
        final int exit = new CommandLine(new IntentGridCli()).execute("tour", "--members", "2", "--keys", "4000",
            "--batches", "300", "--json", json.getPath());
        assertEquals(0, exit, "tour exit code");
        final JsonNode result = new ObjectMapper().readTree(json);
        assertEquals(3, result.get("phases").size());
        assertEquals(result.get("pushed_units").asLong(), result.get("found_units").asLong(), "exactly once");
        final double classic = result.get("phases").get(0).get("local_share").asDouble();
        final double intents = result.get("phases").get(2).get("local_share").asDouble();
        assertTrue(intents > classic, "intents make accesses local: " + classic + " -> " + intents);
    }
}
