package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A member that leaves gracefully first delivers what its replicas took from its workers' pushes: a push completes on
 * a local replica, and until a sync round ships it as a delta it lives only on that member. Two in-memory members,
 * replication only, two sync rounds a second (so that no round ships the push before the leave by chance): the
 * leaver holds a replica of the stayer's key, pushes +1 to it and leaves at once. Before, the push was lost with the
 * leaver in 2 of 3 runs even at the default round rate.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeavingReplicaTest
{
    private static final TableSpec SPEC = TableSpec.of("leaving-replica", 1000, 4).init(Init.uniform(-1, 1, 5));
    private static final GridConfig CONFIG = GridConfig.embedded().mode(Mode.REPLICATION_ONLY)
        .requestTimeoutMillis(5000).maxRoundsPerSecond(2);
    private static final long KEY = 17;
    private static final long[] KEYS = {KEY};

    private final InMemoryCluster cluster = new InMemoryCluster(4);
    private final MemberRuntime stayer = cluster.addMember(CONFIG);
    private final MemberRuntime leaver = cluster.addMember(CONFIG);

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aPushToAReplicaRightBeforeItsMemberLeavesIsNotLost()
    {
        cluster.homesAt(stayer);
        final WorkerEngine atStayer = stayer.newWorker();
        final float[] initial = new float[SPEC.valueLength()];
        atStayer.pull(atStayer.store(SPEC), KEYS, initial, null, 1).await();
        final WorkerEngine worker = leaver.newWorker();
        final TableStore store = worker.store(SPEC);
        worker.intent(store, KEYS, 1, 0, 1_000_000);
        cluster.await(() -> leaver.table(SPEC).localState(KEY) == SlotState.REPLICA, "the leaver holds a replica");
        final float[] one = new float[SPEC.valueLength()];
        Arrays.fill(one, 1f);
        worker.push(store, KEYS, 1, one).await();
        leaver.leave(5000);
        cluster.crash(leaver.self());

        final float[] pushed = initial.clone();
        for (int e = 0; e < pushed.length; e++)
        {
            pushed[e] += 1f;
        }
        final WorkerEngine reader = stayer.newWorker();
        final float[] read = new float[SPEC.valueLength()];
        reader.pull(reader.store(SPEC), KEYS, read, null, 1).await();
        assertArrayEquals(pushed, read, "the leaver's push to its replica reached the main copy");
    }
}
