package org.intentgrid.samples.mf;

import com.hazelcast.jet.config.ProcessingGuarantee;
import org.intentgrid.GridConfig;
import org.intentgrid.ParameterGrid;
import org.intentgrid.samples.train.StreamRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Matrix factorization trained online by a Jet job through the training stage. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MfStreamTest
{
    private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");

    @BeforeAll
    static void quiet()
    {
        HAZELCAST.setLevel(Level.SEVERE);
    }

    @Test
    void aStreamWithARestartTrainsEveryProducedEntryOnceAndLowersTheTestRmse() throws InterruptedException
    {
        final MfGenerator matrix = new MfGenerator(1000, 500, 4, 30_000, 0.1, 5);
        final StreamRun.Schedule schedule = new StreamRun.Schedule(12_000, 8, 4, 3, 500,
            ProcessingGuarantee.AT_LEAST_ONCE);
        final MfStream.Settings settings = new MfStream.Settings(8, 0.1, 0.005, 1000, 1, schedule, 5, null);
        final ByteArrayOutputStream lines = new ByteArrayOutputStream();
        final MfStream.Result result;
        final double before;
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(2).jet(1)))
        {
            final MfStream stream = new MfStream(grid, matrix.train, matrix.test, settings);
            stream.prepare();
            before = stream.testRmse();
            result = stream.run(new PrintStream(lines, true, StandardCharsets.UTF_8));
        }
        final String log = lines.toString(StandardCharsets.UTF_8);
        System.out.println("REPORT stream mf, 2 members, a restart at 3 s: test RMSE " + before + " before, " +
            result.testRmse() + " after " + result.outcome().trained() + " entries");
        final StreamRun.Outcome outcome = result.outcome();
        assertEquals(8, outcome.ticks().size(), log);
        assertTrue(outcome.ticks().get(2).restarted(), log);
        assertTrue(outcome.produced() > 40_000, "the generator produced: " + outcome.produced());
        assertEquals(outcome.produced(), outcome.trained(), "a graceful restart trains every produced entry once");
        assertEquals(0, outcome.rejected());
        assertTrue(outcome.localShare() >= 0.99, "local share " + outcome.localShare());
        final List<StreamRun.Tick> measured = outcome.ticks().stream().filter(t -> !Double.isNaN(t.quality())).toList();
        assertEquals(2, measured.size(), "a test RMSE every 4 s: " + log);
        assertTrue(result.testRmse() < 0.8 * before, "test RMSE " + before + " before the stream, " +
            result.testRmse() + " after it: " + log);
    }

    @Test
    void badSettingsAreRejectedBeforeAnyMemberStarts()
    {
        for (final String[] args : new String[][] {{"--rank", "0"}, {"--lr", "0"}, {"--rate", "0"},
            {"--lookahead", "-1"}})
        {
            final MfStreamCommand command = new MfStreamCommand();
            new CommandLine(command).parseArgs(args);
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, command::call,
                String.join(" ", args));
            assertTrue(e.getMessage().startsWith(args[0] + " " + args[1]) && e.getMessage().contains("expected"),
                args[0] + " and its value named in: " + e.getMessage());
        }
    }
}
