package org.intentgrid.jet;

import com.hazelcast.jet.Job;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.jet.pipeline.test.TestSources;
import org.intentgrid.GridConfig;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streaming example of the README, verbatim between the markers, so that it compiles and runs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadmeExampleTest
{
    @Test
    void theReadmesStreamingExampleRuns() throws InterruptedException
    {
        // README example begins
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(2).jet(1)))
        {
            final Table users = grid.table(TableSpec.of("users", 10_000, 16));
            final TrainingStage<long[]> training = TrainingStage.<long[]>builder("towards-one")
                .keys("users", click -> new long[] {click[0]})    // the keys each item touches, per table
                .lookahead(1000)                                  // intents 1000 items ahead of training
                .step(batch ->                                    // pulled values in, additive updates out
                {
                    double loss = 0;
                    for (int i = 0; i < batch.size(); i++)
                    {
                        final int at = batch.offset(0, i, 0);
                        for (int j = 0; j < batch.valueLength(0); j++)
                        {
                            final float error = batch.values(0)[at + j] - 1;
                            batch.updates(0)[at + j] = -0.1f * error;
                            loss += error * error;
                        }
                    }
                    return loss;
                })
                .build();
            final Pipeline pipeline = Pipeline.create();
            training.applyTo(pipeline.readFrom(TestSources.itemStream(5_000, (time, seq) -> new long[] {seq % 10_000}))
                    .withoutTimestamps().rebalance())                // spread the one-member source over all
                .filter(event -> event instanceof TrainingReport)
                .writeTo(Sinks.logger());                           // items, mean loss, local share per second
            final Job job = grid.member(0).hazelcast().getJet().newJob(pipeline);
            Thread.sleep(5_000);
            job.cancel();
            // README example ends
            final float[] value = new float[16];
            try (ParameterWorker worker = grid.worker())
            {
                worker.pull(users, new long[] {0}, value).await();
            }
            assertTrue(value[0] > 0.05f, "user 0 was trained towards 1: " + value[0]);
        }
    }
}
