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
 * A replica converges to a main copy recovered from an older backup. The lost owner's own updates since its last
 * flush are lost with it, and so are the versions they counted: a replica refreshed from the lost copy held a higher
 * version than the recovered one, took no refresh from it until as many updates had come again, and served the lost
 * updates meanwhile (an exactly-once job that rolled back and replayed them read them twice). So did a replica of a
 * key started again from its initializer because its owner was lost without a backup. Three in-memory members:
 * {@code a} owns the key and flushes once a minute, {@code b} holds a's backups, {@code c} a replica.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecoveredReplicaTest
{
    private static final TableSpec SPEC = TableSpec.of("recovered", 1000, 4).init(Init.uniform(-1, 1, 5));
    private static final int PARTITIONS = 4;
    private static final long KEY = 17;
    private static final int LOST_PUSHES = 5;
    private static final GridConfig CONFIG = GridConfig.embedded().mode(Mode.REPLICATION_ONLY)
        .requestTimeoutMillis(5000);

    private final InMemoryCluster cluster = new InMemoryCluster(PARTITIONS);
    private final MemberRuntime a = cluster.addMember(CONFIG.backupFlushMillis(60_000));
    private final MemberRuntime b = cluster.addMember(CONFIG);
    private final MemberRuntime c = cluster.addMember(CONFIG);

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aReplicaTakesTheRecoveredValueAlthoughItsVersionIsOlder()
    {
        final float[] backedUp = plusOnes(replicaTookPushesBeyondTheBackup(1), 1);

        cluster.homesAt(b);
        cluster.crash(a.self());
        cluster.await(() -> b.table(SPEC).localState(KEY) == SlotState.MAIN, "b recovered a's key");

        assertArrayEquals(backedUp, localValue(b), "b's main copy has the value a backed up");
        cluster.await(() -> Arrays.equals(localValue(c), backedUp), "c's replica converges to b's main copy, " +
            "not keep a's pushes lost with a");
    }

    @Test
    void aReplicaTakesTheInitialValueOfAKeyLostWithoutABackup()
    {
        final float[] initial = replicaTookPushesBeyondTheBackup(0);

        cluster.homesAt(b);
        cluster.crash(a.self());
        final WorkerEngine atB = b.newWorker();
        final float[] atHome = new float[SPEC.valueLength()];
        atB.pull(atB.store(SPEC), new long[] {KEY}, atHome, null, 1).await();

        assertArrayEquals(initial, atHome, "the key starts again from its initializer at its home");
        cluster.await(() -> Arrays.equals(localValue(c), initial), "c's replica converges to the new main copy, " +
            "not keep a's pushes lost with a");
    }

    /**
     * {@code a}, home and owner of the key, pushes +1 {@code backedUp} times and flushes its backup (if it pushed),
     * then {@link #LOST_PUSHES} times more, which {@code c}'s replica takes and {@code b} never gets.
     *
     * @return the key's initial value
     */
    private float[] replicaTookPushesBeyondTheBackup(final int backedUp)
    {
        cluster.homesAt(a);
        final WorkerEngine atA = a.newWorker();
        final WorkerEngine atC = c.newWorker();
        final float[] initial = new float[SPEC.valueLength()];
        atA.pull(atA.store(SPEC), new long[] {KEY}, initial, null, 1).await();
        atC.intent(atC.store(SPEC), new long[] {KEY}, 1, 0, 1_000);
        cluster.await(() -> c.table(SPEC).localState(KEY) == SlotState.REPLICA, "c holds a replica of a's key");
        final float[] one = new float[SPEC.valueLength()];
        Arrays.fill(one, 1f);
        for (int i = 0; i < backedUp + LOST_PUSHES; i++)
        {
            if (i == backedUp && backedUp > 0)
            {
                a.flushBackup();
            }
            atA.push(atA.store(SPEC), new long[] {KEY}, 1, one).await();
        }
        final float[] pushed = plusOnes(initial, backedUp + LOST_PUSHES);
        cluster.await(() -> Arrays.equals(localValue(c), pushed), "c's replica took a's pushes");
        return initial;
    }

    /** @return {@code value} with 1 added {@code times} times to each float, in the order a store adds them */
    private static float[] plusOnes(final float[] value, final int times)
    {
        final float[] sum = value.clone();
        for (int i = 0; i < times; i++)
        {
            for (int e = 0; e < sum.length; e++)
            {
                sum[e] += 1f;
            }
        }
        return sum;
    }

    private static float[] localValue(final MemberRuntime member)
    {
        final float[] value = new float[SPEC.valueLength()];
        member.table(SPEC).pullLocal(KEY, value, 0);
        return value;
    }
}
