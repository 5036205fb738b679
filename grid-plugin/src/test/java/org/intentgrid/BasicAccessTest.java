package org.intentgrid;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
}
