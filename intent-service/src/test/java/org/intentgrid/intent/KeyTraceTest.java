package org.intentgrid.intent;

import org.intentgrid.GridConfig;
import org.intentgrid.GridMember;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optional key trace records allocation, relocation, replica set-up and drop, and intent start and end. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyTraceTest
{
    /** Clocks an intent lasts: far more than two action windows (about 40 clocks each before clocks move). */
    private static final int LASTING = 500;

    @Test
    void traceRecordsTheLifeOfRelocatedAndReplicatedKeys(@TempDir final Path dir) throws Exception
    {
        final GridConfig config = GridConfig.embedded().members(3).mode(Mode.ADAPTIVE).traceDirectory(dir.toString());
        final List<String> lines = new ArrayList<>();
        final long moved;
        final long shared;
        try (ParameterGrid grid = ParameterGrid.start(config))
        {
            final Table table = grid.table(TableSpec.of("traced", 300, 2));
            Grids.touchAll(grid, table);
            moved = Grids.homedOn(grid.member(0), table, 1)[0];
            shared = Grids.homedOn(grid.member(0), table, 2)[1];
            try (ParameterWorker w1 = grid.member(1).worker(); ParameterWorker w2 = grid.member(2).worker();
                 ParameterWorker w0 = grid.member(0).worker())
            {
                // lasting intents: a brief one would get a replica, not the main copy
                w2.intent(table, new long[] {moved, shared}, 0, LASTING);
                w0.intent(table, new long[] {shared}, 0, LASTING);
                // whichever member's request the owner sees first, a replica follows within a few rounds
                for (int round = 0; round < 50 && !replicated(grid, table, shared); round++)
                {
                    grid.waitSync();
                }
                assertTrue(replicated(grid, table, shared), "the shared key was replicated");
                for (int c = 0; c < LASTING; c++)
                {
                    w0.advanceClock();
                    w1.advanceClock();
                    w2.advanceClock();
                }
                grid.waitSync();
                grid.waitSync();
            }
            grid.members().forEach(GridMember::flushTrace);
            try (Stream<Path> files = Files.list(dir))
            {
                for (final Path file : (Iterable<Path>)files::iterator)
                {
                    final List<String> content = Files.readAllLines(file);
                    assertEquals("epoch_ms\ttable\tkey\tmember\tevent", content.get(0));
                    lines.addAll(content.subList(1, content.size()));
                }
            }
        }
        assertTrue(has(lines, moved, "alloc") && has(lines, moved, "dealloc"), "relocation traced: " + lines);
        assertTrue(has(lines, moved, "intent_start") && has(lines, moved, "intent_end"), "intent traced: " + lines);
        assertTrue(has(lines, shared, "replica_setup") && has(lines, shared, "replica_drop"), "replica traced: " +
            lines);
    }

    private static boolean replicated(final ParameterGrid grid, final Table table, final long key)
    {
        return grid.members().stream().anyMatch(m -> m.copyState(table, key) == GridMember.CopyState.REPLICA);
    }

    private static boolean has(final List<String> lines, final long key, final String event)
    {
        return lines.stream().anyMatch(l -> l.contains("\ttraced\t" + key + "\t") && l.endsWith("\t" + event));
    }
}
