package org.intentgrid.internal;

import org.intentgrid.TableSpec;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backup holder refuses the flushes of a member it lost: such a member was cut off long enough to be removed,
 * may still flush to its old holder before it merges back under a new id, and what it sent stayed here for good
 * (memory of an origin nobody would ever recover or drop again).
 */
class BackupStoreTest
{
    private static final TableSpec SPEC = TableSpec.of("backups", 1000, 4);
    private static final UUID ORIGIN = new UUID(0, 7);

    private final BackupStore store = new BackupStore(OffHeapMemory.unlimited());

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
