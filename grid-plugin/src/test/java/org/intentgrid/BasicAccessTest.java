package org.intentgrid;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BasicAccessTest
{
    private static ParameterGrid grid;

    @BeforeAll
    static void start()
    {
        grid = TestGrids.start(3);
    }

    @AfterAll
    static void stop()
    {
        grid.close();
    }

    @Test
    void everyMemberReadsTheDeterministicInitialValues()
    {
        final Table table = grid.table(TableSpec.of("basic-init", 200, 4).init(Init.normal(0, 1, 7)));
        final long[] keys = new long[200];
        for (int k = 0; k < keys.length; k++)
        {
            keys[k] = k;
        }
        for (final GridMember member : grid.members())
        {
            try (ParameterWorker worker = member.worker())
            {
                final float[] values = new float[keys.length * 4];
                worker.pull(table, keys, values).await();
                for (int k = 0; k < keys.length; k++)
                {
                    for (int e = 0; e < 4; e++)
                    {
                        assertEquals(TestGrids.initial(table, k, e), values[k * 4 + e], "key " + k + " element " + e);
                    }
                }
            }
        }
    }

    /** Buffers longer than the batch: only the counted keys are read and written, local and remote alike. */
    @Test
    void countedCallsUseOnlyTheFirstCountKeysAndValues()
    {
        final Table table = grid.table(TableSpec.of("basic-counted", 60, 2));
        final long[] keys = {3, 17, 42, 5, 9};
        try (ParameterWorker worker = grid.member(0).worker())
        {
            worker.set(table, keys, 3, new float[] {1, 1, 2, 2, 3, 3, 7, 7, 7}).await();
            worker.push(table, keys, 2, new float[] {10, 10, 20, 20, 99, 99}).await();
            final float[] values = new float[12];
            Arrays.fill(values, -1);
            worker.pull(table, keys, 4, values).await();
            assertEquals(List.of(11f, 11f, 22f, 22f, 3f, 3f, 0f, 0f, -1f, -1f, -1f, -1f), boxed(values),
                "keys 3, 17 set and pushed, 42 set, 5 untouched; the buffer's tail is left alone");
            final float[] untouched = new float[2];
            worker.pull(table, new long[] {9}, untouched).await();
            assertEquals(List.of(0f, 0f), boxed(untouched), "key 9, past the count, was not set");
        }
    }

    private static List<Float> boxed(final float[] values)
    {
        final Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++)
        {
            boxed[i] = values[i];
        }
        return List.of(boxed);
    }

    @Test
    void handlesOfOneTableAreEqualAndOfAnotherAreNot()
    {
        final TableSpec spec = TableSpec.of("basic-handles", 10, 2);
        final Table first = grid.table(spec);
        final Table again = grid.table(spec);
        final Table byName = grid.table("basic-handles");
        assertNotSame(first, again);
        assertEquals(first, again);
        assertEquals(first, byName);
        assertEquals(1, new HashSet<>(List.of(first, again, byName)).size());
        assertTrue(!first.equals(grid.table(TableSpec.of("basic-handles-other", 10, 2))));
    }

    @Test
    void keysLiveAtTheirHomeAndLocalAccessCompletesInline()
    {
        final Table table = grid.table(TableSpec.of("basic-home", 60, 2));
        for (long key = 0; key < 60; key++)
        {
            try (ParameterWorker worker = grid.member(0).worker())
            {
                worker.push(table, new long[] {key}, new float[] {1, 2}).await();
            }
            int homes = 0;
            for (final GridMember member : grid.members())
            {
                if (member.isHome(table, key))
                {
                    homes++;
                    assertTrue(member.holdsMain(table, key), "home holds key " + key);
                    assertEquals(member.id(), member.directoryOwner(table, key));
                    try (ParameterWorker local = member.worker())
                    {
                        final float[] v = new float[2];
                        assertSame(OpHandle.DONE, local.pull(table, new long[] {key}, v));
                        assertEquals(1f, v[0]);
                        assertEquals(2f, v[1]);
                    }
                }
                else
                {
                    try (ParameterWorker remote = member.worker())
                    {
                        final float[] v = new float[2];
                        assertNotSame(OpHandle.DONE, remote.pull(table, new long[] {key}, v));
                    }
                }
            }
            assertEquals(1, homes, "exactly one home for key " + key);
        }
    }

    @Test
    void materializeAllCreatesEveryKeyOnceAtItsHomeAndLeavesExistingKeysAlone()
    {
        final int keys = 5000;
        final Table table = grid.table(TableSpec.of("basic-bulk", keys, 4).init(Init.normal(0, 1, 11)));
        final long[] touched = new long[100];
        Arrays.setAll(touched, k -> k);
        final long[] moved = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109};
        try (ParameterWorker worker = grid.member(0).worker();
            ParameterWorker mover = grid.member(1).worker())
        {
            final float[] ones = new float[touched.length * 4];
            Arrays.fill(ones, 1);
            worker.push(table, touched, ones).await();
            mover.localize(table, moved).await();
        }
        final long created = grid.materializeAll(table);
        assertTrue(created >= keys - moved.length && created <= keys, "every key not moved away was created: " +
            created);
        assertEquals(created, grid.materializeAll(table), "a second call finds them all and creates nothing more");
        long mainCopies = 0;
        for (final GridMember member : grid.members())
        {
            mainCopies += member.mainCopies(table);
        }
        assertEquals(keys, mainCopies, "one main copy per key");
        for (long key = 0; key < keys; key++)
        {
            int holders = 0;
            for (final GridMember member : grid.members())
            {
                holders += member.holdsMain(table, key) ? 1 : 0;
                if (member.isHome(table, key) && key >= 100 + moved.length)
                {
                    assertTrue(member.holdsMain(table, key), "key " + key + " was created at its home");
                }
            }
            assertEquals(1, holders, "key " + key);
        }
        final long[] all = new long[keys];
        Arrays.setAll(all, k -> k);
        final float[] values = new float[keys * 4];
        try (ParameterWorker worker = grid.member(2).worker())
        {
            worker.pull(table, all, values).await();
        }
        for (int k = 0; k < keys; k++)
        {
            final float expected = TestGrids.initial(table, k, 3) + (k < touched.length ? 1 : 0);
            assertEquals(expected, values[k * 4 + 3], "key " + k + " has its initial value (plus the push)");
        }
    }
}
