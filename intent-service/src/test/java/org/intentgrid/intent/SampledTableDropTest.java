package org.intentgrid.intent;

import org.intentgrid.GridMember;
import org.intentgrid.KeyDistribution;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.SampleHandle;
import org.intentgrid.Sampling;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dropped table's sampling goes with it: members stop reporting it, and a member that joins later is not asked to
 * sample it (which created a store for the dropped table there), while another table's sampling carries over.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SampledTableDropTest
{
    private static final int KEYS = 500;
    private static final int LENGTH = 4;

    @Test
    void aMemberJoiningAfterTheDropSamplesOnlyTheTablesLeft()
    {
        try (ParameterGrid grid = Grids.start(1, Mode.ADAPTIVE))
        {
            final Table dropped = grid.table(TableSpec.of("sampled-then-dropped", KEYS, LENGTH));
            final Table kept = grid.table(TableSpec.of("sampled-and-kept", KEYS, LENGTH));
            final Sampling uniform = Sampling.of(KeyDistribution.uniform(0, KEYS)).seed(7);
            grid.enableSampling(dropped, uniform);
            grid.enableSampling(kept, uniform);
            final GridMember first = grid.member(0);
            assertTrue(first.samplingEnabled(dropped));

            grid.drop(dropped);

            assertFalse(first.samplingEnabled(dropped), "the first member forgot the dropped table's sampling");
            final IllegalStateException stats = assertThrows(IllegalStateException.class,
                () -> first.samplingStats(dropped));
            assertTrue(stats.getMessage().contains("'sampled-then-dropped'") &&
                stats.getMessage().contains("dropped"), stats.getMessage());

            final GridMember joined = grid.addMember();

            assertFalse(joined.samplingEnabled(dropped), "the dropped table is not sampled on the new member");
            assertTrue(joined.samplingEnabled(kept), "the other table's sampling carried over");
            try (ParameterWorker worker = joined.worker())
            {
                final SampleHandle sample = worker.prepareSample(kept, 8, 0, 1);
                final long[] keys = new long[8];
                worker.pullSample(sample, keys, new float[8 * LENGTH]).await();
                worker.finishSample(sample);
                for (final long key : keys)
                {
                    assertTrue(key >= 0 && key < KEYS, "sampled key " + key + " in range");
                }
            }
            assertEquals(8, joined.samplingStats(kept).samplesPulled());
        }
    }
}
