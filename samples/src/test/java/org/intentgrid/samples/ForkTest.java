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

/** {@code --fork}: member JVMs start, join, train their share (with barriers, for mf) and are gone afterwards. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
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
        final long members = ProcessHandle.current().descendants()
            .filter(p -> p.info().commandLine().orElse("").contains("IntentGridCli member")).count();
        assertEquals(0, members, "no member JVM is left running");
    }
}
