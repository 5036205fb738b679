package org.intentgrid;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rejected call names what was wrong and what was expected, and changes nothing. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadInputTest
{
    private static final long[] ALL = {0, 1, 2, 3, 4, 5};
    private static ParameterGrid grid;
    private static Table table;
    private float[] before;

    @BeforeAll
    static void start()
    {
        grid = TestGrids.start(2);
        table = grid.table(TableSpec.of("bad-input", 6, 2).init(Init.normal(0, 1, 3)));
    }

    @AfterAll
    static void stop()
    {
        grid.close();
    }

    @BeforeEach
    void snapshot()
    {
        before = readAll();
    }

    private static float[] readAll()
    {
        try (ParameterWorker reader = grid.member(1).worker())
        {
            final float[] values = new float[ALL.length * 2];
            reader.pull(table, ALL, values).await();
            return values;
        }
    }

    private void rejected(final Class<? extends RuntimeException> type, final Executable call, final String... mentions)
    {
        final RuntimeException e = assertThrows(type, call);
        for (final String mention : mentions)
        {
            assertTrue(e.getMessage().contains(mention), () -> "message '" + e.getMessage() + "' mentions " + mention);
        }
        assertArrayEquals(before, readAll(), "store unchanged after: " + e.getMessage());
    }

    @Test
    void keyOutOfRange()
    {
        try (ParameterWorker w = grid.member(0).worker())
        {
            rejected(IllegalArgumentException.class, () -> w.push(table, new long[] {0, 1, 6}, new float[6]),
                "bad-input", "key 6", "0 <= key < 6");
            rejected(IllegalArgumentException.class, () -> w.set(table, new long[] {2, -1}, new float[4]),
                "key -1", "index 1");
            rejected(IllegalArgumentException.class, () -> w.pull(table, new long[] {99}, new float[2]), "key 99");
            rejected(IllegalArgumentException.class, () -> w.localize(table, new long[] {3, 7}), "key 7");
        }
    }

    @Test
    void wrongBufferLength()
    {
        try (ParameterWorker w = grid.member(0).worker())
        {
            rejected(IllegalArgumentException.class, () -> w.push(table, new long[] {0, 1}, new float[3]),
                "length 3", "2 keys x 2 floats = 4");
            rejected(IllegalArgumentException.class, () -> w.pull(table, new long[] {0}, new float[1]), "length 1");
            rejected(IllegalArgumentException.class, () -> w.set(table, new long[] {0}, null), "length null");
        }
    }

    @Test
    void countedCallsCheckTheCountAndOnlyTheCountedKeys()
    {
        try (ParameterWorker w = grid.member(0).worker())
        {
            final long[] keys = {0, 1, 99};
            rejected(IllegalArgumentException.class, () -> w.push(table, keys, 4, new float[8]), "count 4",
                "0 <= count <= 3");
            rejected(IllegalArgumentException.class, () -> w.pull(table, keys, -1, new float[8]), "count -1");
            rejected(IllegalArgumentException.class, () -> w.intent(table, keys, 3, 0, 1), "key 99", "index 2");
            rejected(IllegalArgumentException.class, () -> w.set(table, keys, 2, new float[3]), "length 3",
                "at least 2 keys x 2 floats = 4");
            rejected(IllegalArgumentException.class, () -> w.push(table, keys, 2, new float[] {1, 1, Float.NaN, 1}),
                "NaN", "key 1");
            rejected(IllegalArgumentException.class, () -> w.push(table, null, 0, new float[0]),
                "keys must not be null");
        }
    }

    @Test
    void nonFiniteUpdatesAreRejectedByDefault()
    {
        try (ParameterWorker w = grid.member(0).worker())
        {
            rejected(IllegalArgumentException.class,
                () -> w.push(table, new long[] {0, 1, 2}, new float[] {1, 1, 1, 1, 1, Float.NaN}),
                "NaN", "key 2", "element 1", "allowNonFinite");
            rejected(IllegalArgumentException.class,
                () -> w.set(table, new long[] {4}, new float[] {Float.POSITIVE_INFINITY, 0}), "Infinity", "key 4");
        }
    }

    @Test
    void nonFiniteUpdatesCanBeAllowed()
    {
        try (ParameterGrid permissive = ParameterGrid.start(GridConfig.embedded().members(1).allowNonFinite(true)))
        {
            final Table t = permissive.table(TableSpec.of("nan-ok", 2, 1));
            try (ParameterWorker w = permissive.worker())
            {
                w.push(t, new long[] {1}, new float[] {Float.NaN}).await();
                final float[] v = new float[1];
                w.pull(t, new long[] {1}, v).await();
                assertTrue(Float.isNaN(v[0]));
            }
        }
    }

    @Test
    void unknownTableAndShapeConflicts()
    {
        rejected(IllegalArgumentException.class, () -> grid.table("no-such-table"), "unknown table 'no-such-table'");
        rejected(IllegalArgumentException.class, () -> grid.table(TableSpec.of("bad-input", 6, 3)),
            "already declared", "valueLength=2", "valueLength=3");
        rejected(IllegalArgumentException.class, () -> grid.table(TableSpec.of("bad-input", 6, 2)),
            "init=normal", "init=zeros");
        rejected(IllegalArgumentException.class, () -> TableSpec.of("", 6, 2), "1..200 characters");
        rejected(IllegalArgumentException.class, () -> TableSpec.of("x", 0, 2), "size must be >= 1");
        rejected(IllegalArgumentException.class, () -> TableSpec.of("a\u0000b", 6, 2), "must not contain the NUL",
            "'a?b'");
        rejected(IllegalArgumentException.class, () -> TableSpec.of("x", 6, 2).incarnation(-1),
            "incarnation must be >= 0, got -1");
        assertTrue(grid.table(TableSpec.of("bad-input", 6, 2).init(Init.normal(0, 1, 3))).size() == 6,
            "re-declaring the same shape is accepted");
    }

    @Test
    void callsAfterClose()
    {
        final ParameterWorker w = grid.member(0).worker();
        w.close();
        rejected(IllegalStateException.class, () -> w.push(table, new long[] {0}, new float[2]), "closed");
        rejected(IllegalStateException.class, () -> w.pull(table, new long[] {0}, new float[2]), "closed");
        final ParameterGrid closed = ParameterGrid.start(GridConfig.embedded().members(1));
        closed.close();
        rejected(IllegalStateException.class, () -> closed.table(TableSpec.of("late", 1, 1)), "closed");
        rejected(IllegalStateException.class, closed::worker, "no running member");
    }
}
