package org.intentgrid.jet;

import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.jet.pipeline.test.TestSources;
import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.ParameterGrid;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Grid workers as a Jet service: a scoring stage reads keys of both members through its processor's worker. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GridWorkersTest
{
    private static final int KEYS = 500;

    @Test
    void aStageReadsEveryKeyThroughItsProcessorsWorker()
    {
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(2).jet(1)))
        {
            final Table table = grid.table(TableSpec.of("scores", KEYS, 2).init(Init.normal(0, 1, 7)));
            final List<Long> keys = new ArrayList<>();
            for (long k = 0; k < KEYS; k++)
            {
                keys.add(k);
            }
            final Pipeline pipeline = Pipeline.create();
            pipeline.readFrom(TestSources.items(keys)).rebalance()
                .mapUsingServiceAsync(GridWorkers.perProcessor(), (worker, key) ->
                {
                    final float[] value = new float[2];
                    return worker.pull(worker.member().grid().table("scores"), new long[] {key}, value)
                        .toCompletableFuture().thenApply(done -> Map.entry(key, value[0] + value[1]));
                })
                .writeTo(Sinks.map("read"));
            grid.member(0).hazelcast().getJet().newJob(pipeline).join();

            final Map<Long, Float> read = grid.member(0).hazelcast().getMap("read");
            assertEquals(KEYS, read.size());
            for (long k = 0; k < KEYS; k++)
            {
                final float expected = table.spec().init().value(table.spec().nameHash(), k, 0) +
                    table.spec().init().value(table.spec().nameHash(), k, 1);
                assertEquals(expected, read.get(k), 0f, "key " + k);
            }
        }
    }
}
