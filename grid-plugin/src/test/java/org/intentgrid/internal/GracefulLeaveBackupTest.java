package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member that hands every main copy off as it leaves tells its backup holder at once, so that the holder frees
 * their backups rather than running a recovery of keys that all moved on once the member is gone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GracefulLeaveBackupTest
{
    private static final TableSpec SPEC = TableSpec.of("leaving", 1000, 4).init(Init.uniform(-1, 1, 5));
    private static final long[] KEYS = {3, 14, 159, 265, 358};

    private final InMemoryCluster cluster = new InMemoryCluster(4);
    // no periodic flush during the test: only the leave's own flush can tell the holder
    private final MemberRuntime leaver = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000)
        .backupFlushMillis(60_000));
    private final MemberRuntime holder = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000));

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aCompleteHandOffFreesTheHoldersBackupsBeforeTheMemberIsGone()
    {
        cluster.homesAt(leaver);
        final WorkerEngine atLeaver = leaver.newWorker();
        final TableStore store = atLeaver.store(SPEC);
        final float[] update = new float[KEYS.length * SPEC.valueLength()];
        Arrays.fill(update, 2f);
        atLeaver.push(store, KEYS, KEYS.length, update).await();
        final float[] expected = new float[update.length];
        atLeaver.pull(store, KEYS, expected, null, KEYS.length).await();
        leaver.flushBackup();
        assertEquals(KEYS.length, holder.backupStats().backupKeysHeld(), "the holder has the leaver's changed keys");

        cluster.homesAt(holder);
        assertEquals(KEYS.length, leaver.leave(5000), "every main copy was handed off");
        assertEquals(0, holder.backupStats().backupKeysHeld(), "the holder freed the backups of keys that left");

        cluster.crash(leaver.self());
        final WorkerEngine atHolder = holder.newWorker();
        final float[] now = new float[update.length];
        atHolder.pull(atHolder.store(SPEC), KEYS, now, null, KEYS.length).await();
        assertArrayEquals(expected, now, "the handed-off values, updates included");
        assertTrue(KEYS.length <= holder.table(SPEC).mainCopies(), "the holder owns them now");
    }
}
