package org.intentgrid.jet;

import com.hazelcast.config.EventJournalConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.config.JobConfig;
import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.jet.pipeline.JournalInitialPosition;
import com.hazelcast.jet.pipeline.Pipeline;
import com.hazelcast.jet.pipeline.Sinks;
import com.hazelcast.jet.pipeline.Sources;
import com.hazelcast.jet.pipeline.test.TestSources;
import com.hazelcast.map.IMap;
import org.intentgrid.GridConfig;
import org.intentgrid.ParameterGrid;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once training: a member of three is terminated (no goodbye, no last snapshot) while the stream flows;
 * the job restarts from its last snapshot on the survivors, the grid is rolled back to that snapshot's checkpoint,
 * and every item's +1 is in the table exactly once. A stage and a job that disagree about the guarantee are
 * refused with a message saying what to change.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ExactlyOnceTest
{
    private static final int KEYS = 1_000;
    private static final int ITEMS = 16_000;

    @BeforeAll
    static void quiet()
    {
        Logger.getLogger("com.hazelcast").setLevel(Level.SEVERE);
    }

    @Test
    void aMemberCrashMidStreamLeavesEveryItemCountedExactlyOnce(@TempDir final Path checkpoints) throws Exception
    {
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(3).jet(1)
            .failureDetectionSeconds(3)))
        {
            final Table table = grid.table(TableSpec.of("counts", KEYS, 1));
            final HazelcastInstance hz = grid.member(0).hazelcast();
            hz.getConfig().addMapConfig(new MapConfig("stream").setEventJournalConfig(
                new EventJournalConfig().setEnabled(true).setCapacity(100_000)));
            final IMap<Integer, Integer> stream = hz.getMap("stream");
            final TrainingStage<Integer> stage = Counting.exactlyOnceStage("counts", KEYS, 200,
                checkpoints.toString());
            final Pipeline pipeline = Pipeline.create();
            stage.applyTo(pipeline.readFrom(Sources.<Integer, Integer>mapJournal("stream",
                JournalInitialPosition.START_FROM_OLDEST)).withoutTimestamps().map(e -> e.getValue()))
                .writeTo(Sinks.noop());
            final Job job = hz.getJet().newJob(pipeline, new JobConfig()
                .setProcessingGuarantee(ProcessingGuarantee.EXACTLY_ONCE).setSnapshotIntervalMillis(300));
            awaitRunning(job);
            final double atCrash = Counting.feed(stream, ITEMS, 4_000, grid, table,
                () -> grid.member(2).hazelcast().getLifecycleService().terminate());
            final double total = Counting.awaitStable(grid, table, ITEMS);
            System.out.println("REPORT jet exactly-once, embedded: " + ITEMS + " items, a member of 3 terminated " +
                "after " + (ITEMS / 2) + " (" + atCrash + " trained by then); the +1 pushes sum to " + total);
            assertTrue(atCrash > 0, "training had begun before the crash");
            assertEquals(ITEMS, total, () -> "every item's update exactly once; " +
                Counting.deviations(grid, table, ITEMS));
            try (Stream<Path> jobs = Files.list(checkpoints))
            {
                assertEquals(1, jobs.count(), "one checkpoint directory per job");
            }
            job.cancel();
        }
    }

    @Test
    void aStageAndAJobThatDisagreeAboutTheGuaranteeAreRefused(@TempDir final Path checkpoints)
    {
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(1).jet(1)))
        {
            grid.table(TableSpec.of("counts", KEYS, 1));
            final HazelcastInstance hz = grid.member(0).hazelcast();
            final Exception withoutDirectory = assertThrows(Exception.class, () -> run(hz,
                Counting.stage("counts", KEYS, 10, 1), ProcessingGuarantee.EXACTLY_ONCE));
            assertTrue(causes(withoutDirectory).contains("checkpointDirectory"), causes(withoutDirectory));
            final TrainingStage<Integer> withDirectory = TrainingStage.<Integer>builder("count")
                .keys("counts", item -> new long[] {item % KEYS})
                .step(batch -> 0)
                .checkpointDirectory(checkpoints.toString())
                .build();
            final Exception atLeastOnce = assertThrows(Exception.class, () -> run(hz, withDirectory,
                ProcessingGuarantee.AT_LEAST_ONCE));
            assertTrue(causes(atLeastOnce).contains("EXACTLY_ONCE"), causes(atLeastOnce));
        }
        assertThrows(IllegalArgumentException.class, () -> TrainingStage.<Integer>builder("count")
            .checkpointDirectory(""));
    }

    private static void run(final HazelcastInstance hz, final TrainingStage<Integer> stage,
        final ProcessingGuarantee guarantee)
    {
        final Pipeline pipeline = Pipeline.create();
        stage.applyTo(pipeline.readFrom(TestSources.itemStream(100, (time, sequence) -> (int)sequence))
            .withoutTimestamps()).writeTo(Sinks.noop());
        hz.getJet().newJob(pipeline, new JobConfig().setProcessingGuarantee(guarantee)).join();
    }

    private static String causes(final Throwable error)
    {
        final StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause())
        {
            all.append(t.getMessage()).append(" / ");
        }
        return all.toString();
    }

    private static void awaitRunning(final Job job) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (job.getStatus() != JobStatus.RUNNING && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertEquals(JobStatus.RUNNING, job.getStatus());
    }
}
