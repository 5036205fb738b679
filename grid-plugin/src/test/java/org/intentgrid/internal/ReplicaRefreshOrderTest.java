package org.intentgrid.internal;

import org.intentgrid.TableSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A placeholder may be asked for by a fetch round and by the full round after it, and their answers may come in
 * either order: a replica takes a refresh only if it is newer than what it holds, and keeps its local updates.
 */
class ReplicaRefreshOrderTest
{
    private static final int LENGTH = 4;
    private static final long KEY = 5;

    private final TableStore table = TestTables.store(TableSpec.of("t", 100, LENGTH), () -> 0);

    @Test
    void anOlderRefreshThatArrivesLateIsIgnored()
    {
        final ReplicaStore replicas = table.replicaStore();
        assertEquals(SyncStep.Action.REFRESH, replicas.registerIntent(KEY, 0, 10));

        replicas.refresh(KEY, -1, value(2), 0, 2);
        assertValue(2, "the first answer sets the placeholder up");
        replicas.refresh(KEY, -1, value(1), 0, 1);
        assertValue(2, "the other lane's older answer, arriving second, is ignored");
        replicas.refresh(KEY, -1, value(7), 0, 2);
        assertValue(2, "so is an answer of the same version");

        assertEquals(SlotState.REPLICA, table.pushLocal(KEY, value(1), 0, new AddScratch(LENGTH)));
        replicas.refresh(KEY, -1, value(5), 0, 3);
        assertValue(6, "a newer refresh is taken, with the local update not synced yet on top");
        replicas.refresh(KEY, -1, value(2), 0, 2);
        assertValue(6, "and an older one after it is not");
    }

    private static float[] value(final float each)
    {
        return new float[] {each, each, each, each};
    }

    private void assertValue(final float each, final String what)
    {
        final float[] read = new float[LENGTH];
        assertEquals(SlotState.REPLICA, table.pullLocal(KEY, read, 0), what);
        assertArrayEquals(value(each), read, what);
    }
}
