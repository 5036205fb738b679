package org.intentgrid.jet;

import com.hazelcast.jet.core.test.TestSupport;
import org.intentgrid.GridConfig;
import org.intentgrid.ParameterGrid;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The processor under Jet's own processor harness: every run is repeated with a snapshot and a restore into a new
 * processor after each item, and with an outbox that takes one item at a time. Each run must push every item
 * exactly once and report every item once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TrainingProcessorSnapshotTest
{
    private static final int KEYS = 50;
    private static final int ITEMS = 300;

    @Test
    void snapshotsAndRestoresBetweenItemsNeitherLoseNorRepeatAnItem()
    {
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(1)))
        {
            final Table table = grid.table(TableSpec.of("counts", KEYS, 1));
            final TrainingStage<Integer> stage = Counting.stage("counts", KEYS, 20, 3);
            final List<Integer> items = new ArrayList<>();
            for (int i = 0; i < ITEMS; i++)
            {
                items.add(i);
            }
            final AtomicInteger runs = new AtomicInteger();
            TestSupport.verifyProcessor(stage.metaSupplier())
                .hazelcastInstance(grid.member(0).hazelcast())
                .disableProgressAssertion()
                .executeBeforeEachRun(() -> Counting.reset(grid, table))
                .input(items)
                .assertOutput(1, (mode, outputs) ->
                {
                    runs.incrementAndGet();
                    long reported = 0;
                    for (final Object event : outputs.get(0))
                    {
                        reported += ((TrainingReport)event).items();
                    }
                    assertEquals(ITEMS, reported, "every item reported once in " + mode);
                    assertEquals(ITEMS, Counting.sum(grid, table), "every item pushed once in " + mode);
                });
            assertTrue(runs.get() >= 4, "the harness ran the modes with snapshots and a small outbox: " + runs);
        }
    }

}
