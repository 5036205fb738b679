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

/** The README's first command, shortened: it trains, writes the result file in the documented shape, and plots. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DemoCommandTest
{
    @Test
    void demoTrainsAndWritesResultsAndPlots(@TempDir final Path dir) throws Exception
    {
        IntentGridCli.quietHazelcast();
        final File json = dir.resolve("demo.json").toFile();
        final int exit = IntentGridCli.configure(new CommandLine(new IntentGridCli())).execute("demo", "--epochs", "3",
            "--gen-entities", "300", "--dim", "16", "--quiet", "--json", json.getPath());
        assertEquals(0, exit, "demo exit code");
        final JsonNode result = new ObjectMapper().readTree(json);
        assertEquals("kge", result.get("app").asText());
        assertEquals("adaptive", result.get("mode").asText());
        assertEquals(2, result.get("members").asInt());
        assertEquals(1, result.get("threads").asInt());
        assertTrue(result.get("dataset").asText().startsWith("generated"));
        assertEquals(3, result.get("epochs").size());
        for (final String field : new String[] {"epoch", "seconds", "train_loss", "local_share", "bytes_sent",
            "valid_mrr_filtered", "valid_hits10_filtered", "test_mrr_filtered"})
        {
            assertTrue(result.get("epochs").get(2).has(field), "epoch rows have " + field);
        }
        assertTrue(dir.resolve("demo-quality.png").toFile().length() > 1000, "quality plot written");
        assertTrue(dir.resolve("demo-locality.png").toFile().length() > 1000, "locality plot written");
    }
}
