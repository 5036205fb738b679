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

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** With timed actions an intent far in the future waits; with act-immediately it takes effect at once. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ActImmediatelyTest
{
    @Test
    void farIntentsWaitForTheirWindowUnlessActingImmediately()
    {
        assertEquals(GridMember.CopyState.NONE, stateAfterFarIntent(false), "timed: not acted on yet");
        assertEquals(GridMember.CopyState.MAIN, stateAfterFarIntent(true), "immediate: relocated at once");
    }

    private static GridMember.CopyState stateAfterFarIntent(final boolean immediately)
    {
        try (ParameterGrid grid = ParameterGrid.start(
            GridConfig.embedded().members(2).mode(Mode.ADAPTIVE).actImmediately(immediately)))
        {
            final Table table = grid.table(TableSpec.of("far", 20, 1));
            Grids.touchAll(grid, table);
            final long key = Grids.homedOn(grid.member(0), table, 1)[0];
            try (ParameterWorker w = grid.member(1).worker())
            {
                w.intent(table, new long[] {key}, 1_000_000, 1_000_010);
                grid.waitSync();
                grid.waitSync();
                return grid.member(1).copyState(table, key);
            }
        }
    }
}
