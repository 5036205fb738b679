package org.intentgrid.intent;

import org.intentgrid.GridMember;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad intents fail at the call, not later in the sync task, and leave nothing behind. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IntentBadInputTest
{
    private static ParameterGrid grid;
    private static Table table;

    @BeforeAll
    static void start()
    {
        grid = Grids.start(2, Mode.ADAPTIVE);
        table = grid.table(TableSpec.of("bad-intents", 10, 2));
    }

    @AfterAll
    static void stop()
    {
        grid.close();
    }

    private static void rejected(final Class<? extends RuntimeException> type, final Executable call,
        final String... mentions)
    {
        final RuntimeException e = assertThrows(type, call);
        for (final String mention : mentions)
        {
            assertTrue(e.getMessage().contains(mention), () -> "message '" + e.getMessage() + "' mentions " + mention);
        }
        grid.waitSync();
        for (final GridMember member : grid.members())
        {
            assertEquals(0, member.replicas(table), "a rejected intent left no placeholder on " + member);
        }
    }

    @Test
    void badIntentsAreRejectedAtTheCall()
    {
        try (ParameterWorker w = grid.member(1).worker())
        {
            rejected(IllegalArgumentException.class, () -> w.intent(table, new long[] {1, 10}, 0, 5),
                "bad-intents", "key 10", "0 <= key < 10");
            rejected(IllegalArgumentException.class, () -> w.intent(table, new long[] {-3}, 0, 5), "key -3");
            rejected(IllegalArgumentException.class, () -> w.intent(table, new long[] {1}, 5, 5), "[5, 5)",
                "0 <= start < end");
            rejected(IllegalArgumentException.class, () -> w.intent(table, new long[] {1}, 7, 3), "[7, 3)");
            rejected(IllegalArgumentException.class, () -> w.intent(table, new long[] {1}, -1, 3), "[-1, 3)");
            rejected(IllegalArgumentException.class, () -> w.intent(null, new long[] {1}, 0, 3), "must not be null");
            rejected(IllegalArgumentException.class, () -> grid.table("no-such-table"), "unknown table");
        }
    }

    @Test
    void callsAfterCloseAreRejected()
    {
        final ParameterWorker w = grid.member(0).worker();
        w.close();
        rejected(IllegalStateException.class, () -> w.intent(table, new long[] {1}, 0, 3), "closed");
        rejected(IllegalStateException.class, w::advanceClock, "closed");
        rejected(IllegalStateException.class, w::waitSync, "closed");
    }
}
