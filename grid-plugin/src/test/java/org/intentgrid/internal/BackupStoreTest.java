package org.intentgrid.internal;

import org.intentgrid.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backup holder refuses the flushes of a member it lost: such a member was cut off long enough to be removed,
 * may still flush to its old holder before it merges back under a new id, and what it sent stayed here for good
 * (memory of an origin nobody would ever recover or drop again). A lost origin's fingerprints are known a while
 * after its backups went, for the survivors' questions ({@link KnownUpdates}).
 */
class BackupStoreTest
{
    private static final TableSpec SPEC = TableSpec.of("backups", 1000, 4);
    private static final UUID ORIGIN = new UUID(0, 7);

    private static final long LOST_APPLIED_MILLIS = 300;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final BackupStore store = new BackupStore(OffHeapMemory.unlimited(), scheduler, LOST_APPLIED_MILLIS);

    @AfterEach
    void stop()
    {
        store.dropAll();
        scheduler.shutdownNow();
    }

    @Test
    void aLostOriginsLaterFlushesAreRefusedAndKeepNothing()
    {
        assertTrue(store.apply(ORIGIN, flushOf(1, 2, 3)));
        store.completed(ORIGIN);
        assertEquals(3, store.keys());
        assertTrue(store.bytes() > 0);

        store.dropOrigin(ORIGIN);
        assertEquals(0, store.keys());

        assertFalse(store.apply(ORIGIN, flushOf(4, 5)), "a flush of the lost member, thawed, is refused");
        store.completed(ORIGIN);
        assertEquals(0, store.keys(), "nothing of it is kept");
        assertEquals(0, store.bytes(), "and no memory is taken for it");
        assertNull(store.applied(ORIGIN), "nor fingerprints");
        assertFalse(store.isComplete(ORIGIN));
        assertTrue(store.firstRefusal(ORIGIN), "the first refusal is reported");
        assertFalse(store.firstRefusal(ORIGIN), "the later ones are not");
        assertTrue(store.apply(new UUID(0, 8), flushOf(6)), "other origins are served");
        assertEquals(1, store.keys());
        store.dropAll();
    }

    @Test
    void aLostOriginsFingerprintsAreKnownForAWhileAfterItsBackupsWent()
    {
        assertTrue(store.apply(ORIGIN, flushOf(1, 2)));
        final long fingerprint = 31;
        assertTrue(store.knows(fingerprint), "a held backup includes the update");
        assertFalse(store.knows(32), "an update no backup includes");

        store.dropOrigin(ORIGIN);
        assertEquals(0, store.keys());
        assertTrue(store.knows(fingerprint), "still known right after the origin's loss");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.knows(fingerprint) && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        assertFalse(store.knows(fingerprint), "forgotten after " + LOST_APPLIED_MILLIS + " ms");
    }

    private static DataRequest flushOf(final long... keys)
    {
        final int length = SPEC.valueLength();
        final float[] values = new float[keys.length * length];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = i;
        }
        return new DataRequest(SPEC, RequestKind.BACKUP, keys, values, new long[keys.length], null,
            new long[keys.length], 0, new long[] {keys[0] * 31});
    }
}
