package org.intentgrid;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged plugin jar makes a stock Hazelcast member (another JVM, plain config, no intentgrid code)
 * run the grid: it joins an embedded grid, serves its home keys, adopts main copies from a leaving member
 * and hands them back when it leaves itself.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DropInPluginIT
{
    private Process process;

    @AfterEach
    void stopFork() throws Exception
    {
        if (process != null && process.isAlive())
        {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void stockMemberWithThePluginJarJoinsServesAndAdopts() throws Exception
    {
        final GridConfig config = GridConfig.embedded().members(2);
        try (ParameterGrid grid = ParameterGrid.start(config))
        {
            process = fork(config, "forked-member.log");
            final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
            final String ready = awaitLine(out, "READY ");
            final UUID forkedId = UUID.fromString(ready.substring("READY ".length()).trim());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (grid.member(0).hazelcast().getCluster().getMembers().size() < 3 ||
                !grid.member(0).hazelcast().getPartitionService().isClusterSafe())
            {
                assertTrue(System.nanoTime() < deadline, "forked member joined within 60 s");
                Thread.sleep(50);
            }

            final int keys = 300;
            final Table table = grid.table(TableSpec.of("drop-in", keys, 4).init(Init.uniform(0, 1, 9)));
            final long[] all = new long[keys];
            for (int k = 0; k < keys; k++)
            {
                all[k] = k;
            }
            int homedOnFork = 0;
            for (int k = 0; k < keys; k++)
            {
                if (!grid.member(0).isHome(table, k) && !grid.member(1).isHome(table, k))
                {
                    homedOnFork++;
                }
            }
            assertTrue(homedOnFork > 30, "the forked member is home of some keys: " + homedOnFork);

            final float[] expected = new float[keys * 4];
            try (ParameterWorker w = grid.member(0).worker())
            {
                w.pull(table, all, expected).await();
                for (int k = 0; k < keys; k++)
                {
                    for (int e = 0; e < 4; e++)
                    {
                        assertEquals(TestGrids.initial(table, k, e), expected[k * 4 + e],
                            "initial value from any member");
                    }
                }
                final float[] ones = new float[keys * 4];
                java.util.Arrays.fill(ones, 1f);
                w.push(table, all, ones).await();
                for (int i = 0; i < expected.length; i++)
                {
                    expected[i] += 1f;
                }
                w.localize(table, all).await();
                assertEquals(keys, grid.member(0).mainCopies(table));
            }
            assertTrue(grid.member(0).stats().remoteOps() > 0, "requests went to the other members");

            grid.member(0).leave();
            final GridMember remaining = grid.member(0);
            assertTrue(remaining.mainCopies(table) < keys,
                "the forked member adopted some of the leaving member's keys");
            try (ParameterWorker w = remaining.worker())
            {
                final float[] values = new float[keys * 4];
                w.pull(table, all, values).await();
                assertArrayEquals(expected, values, "values survive the hand-off to the forked member");
            }

            try (Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8))
            {
                in.write("leave\n");
            }
            awaitLine(out, "LEFT");
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "forked member exited");
            assertEquals(keys, remaining.mainCopies(table), "the forked member handed every key back when it left");
            try (ParameterWorker w = remaining.worker())
            {
                final float[] values = new float[keys * 4];
                assertEquals(OpHandle.DONE, w.pull(table, all, values));
                assertArrayEquals(expected, values, "values survive the forked member's leave");
            }
            final long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (remaining.hazelcast().getCluster().getMembers().stream().anyMatch(m -> m.getUuid().equals(forkedId)))
            {
                assertTrue(System.nanoTime() < gone, "the cluster saw the forked member leave within 30 s");
                Thread.sleep(50);
            }
        }
    }

    private static String awaitLine(final BufferedReader out, final String prefix) throws Exception
    {
        String line;
        while ((line = out.readLine()) != null)
        {
            if (line.startsWith(prefix))
            {
                return line;
            }
        }
        throw new AssertionError("forked member ended before printing '" + prefix + "'");
    }

    @Test
    void stockMemberWithAnInvalidPropertyFailsToStartNamingIt() throws Exception
    {
        for (final String property : List.of("intentgrid.max-rounds-per-second=0", "intentgrid.channels=0"))
        {
            final GridConfig config = GridConfig.embedded();
            final String log = "forked-member-bad-config.log";
            process = fork(config, log, property);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the member gave up starting");
            assertNotEquals(0, process.exitValue(), "start failed");
            final String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8) +
                Files.readString(Paths.get("target", log));
            assertFalse(printed.contains("READY"), "the member never came up");
            assertTrue(printed.contains("property " + property + " is invalid") && printed.contains("must be in 1.."),
                "the failure names the property, its value and the valid range:\n" + printed);
        }
    }

    private static Process fork(final GridConfig config, final String log, final String... properties) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of(config.clusterName(), String.valueOf(config.basePort())));
        args.addAll(List.of(properties));
        final ProcessBuilder builder = new ProcessBuilder(
            ForkedJvms.command(List.of("-Xmx512m"), ForkedMember.class, args.toArray(new String[0])));
        builder.redirectError(Paths.get("target").toAbsolutePath().resolve(log).toFile());
        return builder.start();
    }
}
