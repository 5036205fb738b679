package org.intentgrid.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's first command, shortened: it trains the same model adaptively and as a classic parameter server for a
 * time budget each, writes the result file in the documented shape, and plots both runs.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DemoCommandTest
{
    @Test
    void demoTrainsBothModesAndWritesResultsAndPlots(@TempDir final Path dir) throws Exception
    {
        IntentGridCli.quietHazelcast();
        final int exit = IntentGridCli.configure(new CommandLine(new IntentGridCli())).execute("demo", "--budget", "2",
            "--gen-entities", "300", "--dim", "16", "--quiet", "--out", dir.toString());
        assertEquals(0, exit, "demo exit code");
        final JsonNode demo = new ObjectMapper().readTree(dir.resolve("demo.json").toFile());
        final JsonNode summary = demo.get("summary");
        assertEquals("valid_mrr_filtered", summary.get("quality_metric").asText());
        for (final String mode : new String[] {"static", "adaptive"})
        {
            final JsonNode result = demo.get(mode);
            assertEquals("kge", result.get("app").asText());
            assertEquals(mode, result.get("mode").asText());
            assertEquals("none", result.get("relocation_limit").asText(), "the default: no relocation limit");
            assertEquals(2, result.get("members").asInt());
            assertEquals(1, result.get("threads").asInt());
            assertTrue(result.get("dataset").asText().startsWith("generated"));
            final JsonNode epochs = result.get("epochs");
            assertEquals(epochs.size(), summary.get(mode + "_epochs").asInt());
            final JsonNode last = epochs.get(epochs.size() - 1);
            assertTrue(last.get("wall_seconds").asDouble() >= 2, mode + " trained for the budget");
            assertTrue(epochs.size() == 1 || epochs.get(epochs.size() - 2).get("wall_seconds").asDouble() < 2,
                mode + " stopped after the epoch that reached the budget");
            for (final String field : new String[] {"epoch", "seconds", "train_loss", "local_share", "bytes_sent",
                "valid_mrr_filtered", "valid_hits10_filtered", "test_mrr_filtered"})
            {
                assertTrue(last.has(field), "epoch rows have " + field);
            }
            assertEquals(last.get("valid_mrr_filtered").asDouble(), summary.get(mode + "_quality").asDouble());
            assertTrue(dir.resolve("demo-" + mode + ".json").toFile().isFile(), "each run's own result file");
        }
        assertTrue(dir.resolve("demo-quality.png").toFile().length() > 1000, "quality plot of both runs written");
        assertTrue(dir.resolve("demo-locality.png").toFile().length() > 1000, "locality plot of both runs written");
    }

    @Test
    void demoRejectsAModeOfItsOwn()
    {
        final CommandLine cli = IntentGridCli.configure(new CommandLine(new IntentGridCli()));
        final java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        assertEquals(2, cli.execute("demo", "--mode", "static"));
        assertTrue(err.toString().contains("--mode is not accepted here"), err.toString());
    }
}
