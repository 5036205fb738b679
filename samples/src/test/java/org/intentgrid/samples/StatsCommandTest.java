package org.intentgrid.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.cluster.Address;
import org.intentgrid.GridConfig;
import org.intentgrid.GridMember;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/intentgrid stats} against a running two-member cluster: it shows every member and each member's share of
 * a table, the shares add up to the table (in its output and its JSON), {@code --watch} adds the rates since the
 * previous screen, and an address nobody answers at ends with one clear line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatsCommandTest
{
    private static final int KEYS = 3_000;

    @Test
    void showsEveryMembersShareOfTheTables(@TempDir final Path dir) throws Exception
    {
        IntentGridCli.quietHazelcast();
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(2)))
        {
            final Table table = grid.table(TableSpec.of("stats-shown", KEYS, 4));
            grid.materializeAll(table);
            final long[] keys = new long[KEYS];
            Arrays.setAll(keys, k -> k);
            try (ParameterWorker worker = grid.member(1).worker())
            {
                worker.pull(table, keys, new float[KEYS * 4]).await();
            }
            final List<String> addresses = new ArrayList<>();
            for (final GridMember member : grid.members())
            {
                final Address address = member.hazelcast().getCluster().getLocalMember().getAddress();
                addresses.add(address.getHost() + ":" + address.getPort());
            }
            final File json = dir.resolve("stats.json").toFile();
            final StatsCommand command = new StatsCommand();
            final ByteArrayOutputStream printed = new ByteArrayOutputStream();
            command.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
            final int exit = new CommandLine(command).execute("--cluster", addresses.get(0), "--cluster-name",
                grid.member(0).hazelcast().getConfig().getClusterName(), "--json", json.getPath());
            final String output = printed.toString(StandardCharsets.UTF_8);
            assertEquals(0, exit, output);
            assertTrue(output.contains(": 2 member(s)"), output);
            for (final String address : addresses)
            {
                assertTrue(output.contains(address), address + " is shown: " + output);
            }
            assertTrue(output.matches("(?s).*stats-shown +\\(all members\\) +3,000 .*"),
                "the table's total main copies: " + output);

            final StatsCommand watching = new StatsCommand();
            final ByteArrayOutputStream watched = new ByteArrayOutputStream();
            watching.out = new PrintStream(watched, true, StandardCharsets.UTF_8);
            assertEquals(0, new CommandLine(watching).execute("--cluster", addresses.get(1), "--cluster-name",
                grid.member(0).hazelcast().getConfig().getClusterName(), "--watch", "1", "--count", "2"));
            final String screens = watched.toString(StandardCharsets.UTF_8);
            assertEquals(2, screens.split(": 2 member\\(s\\)", -1).length - 1, "two screens: " + screens);
            assertTrue(screens.contains("since the previous screen"), "the second screen shows rates: " + screens);

            final JsonNode members = new ObjectMapper().readTree(json);
            assertEquals(2, members.size());
            long mainCopies = 0;
            long accessed = 0;
            for (final JsonNode member : members)
            {
                assertEquals("stats-shown", member.get("tables").get(0).get("table").asText());
                mainCopies += member.get("tables").get(0).get("main_copies").asLong();
                accessed += member.get("keys_accessed").asLong();
                assertEquals(grid.member(0).machineOffHeapLimit(), member.get("jvm_off_heap_limit_bytes").asLong(),
                    "the members share this JVM's limit");
                assertTrue(member.get("machine_available_bytes").asLong() > 0,
                    "this Linux machine tells what it has available: " + member);
            }
            assertEquals(KEYS, mainCopies, "every key's main copy is on one member");
            assertEquals(KEYS, accessed, "the worker's pulls");
        }
    }

    @Test
    void aClusterNobodyAnswersForEndsWithOneLine()
    {
        IntentGridCli.quietHazelcast();
        final StringWriter err = new StringWriter();
        final int exit = IntentGridCli.configure(new CommandLine(new IntentGridCli())).setErr(new PrintWriter(err))
            .execute("stats", "--cluster", "127.0.0.1:5799", "--cluster-name", "nobody-here", "--timeout", "2");
        assertEquals(2, exit);
        assertTrue(err.toString().startsWith("error: no member of cluster 'nobody-here' answered at 127.0.0.1:5799 " +
            "within 2 s"), err.toString());
    }
}
