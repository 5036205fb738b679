package org.intentgrid.intent;

import org.intentgrid.GridMember;
import org.intentgrid.GridMember.CopyState;
import org.intentgrid.OpHandle;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worked example of the reference's locality test (adapted to hash-based homes): relocation to the sole
 * interested member, a replica where the owner intends the key too, relocated keys stay after intents
 * expire, replicas are dropped, local pulls complete inline. Its intents last {@link #LASTING} clocks: a brief one
 * (ending within two action windows) gets a replica instead of the main copy, which stays where it is.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalityApiTest
{
    /** Clocks an intent lasts: far more than two action windows (about 40 clocks each before clocks move). */
    private static final int LASTING = 500;

    @Test
    void relocateToTheSoleUserReplicateWhereSeveralIntend()
    {
        try (ParameterGrid grid = Grids.start(3, Mode.ADAPTIVE))
        {
            final Table table = grid.table(TableSpec.of("locality-api", 36, 1));
            Grids.touchAll(grid, table);
            final GridMember m0 = grid.member(0);
            final GridMember m1 = grid.member(1);
            final GridMember m2 = grid.member(2);
            final long[] home0 = Grids.homedOn(m0, table, 3);
            final long[] home1 = Grids.homedOn(m1, table, 2);
            final long[] home2 = Grids.homedOn(m2, table, 1);
            final long shared = home0[1];
            final long toM0 = home1[0];
            final long toM2 = home1[1];
            final long leavesItsHome = home0[2];
            for (final long key : new long[] {home0[0], shared, toM0, toM2, leavesItsHome, home2[0]})
            {
                assertTrue(homeHolds(grid, table, key), "initially key " + key + " is at its home");
            }

            final ParameterWorker[] workers = new ParameterWorker[6];
            for (int i = 0; i < 6; i++)
            {
                workers[i] = grid.member(i / 2).worker();
            }
            workers[0].intent(table, new long[] {shared, toM0}, 1, LASTING);
            workers[5].intent(table, new long[] {toM2, shared, leavesItsHome}, 1, LASTING);
            for (final ParameterWorker w : workers)
            {
                w.advanceClock();
            }
            grid.waitSync();
            grid.waitSync();

            assertEquals(CopyState.MAIN, m0.copyState(table, home0[0]), "untouched home key stays");
            assertEquals(CopyState.MAIN, m0.copyState(table, toM0), "sole interest: relocated to member 0");
            assertEquals(CopyState.NONE, m1.copyState(table, toM0));
            assertEquals(CopyState.MAIN, m2.copyState(table, toM2), "sole interest: relocated to member 2");
            assertEquals(CopyState.MAIN, m2.copyState(table, leavesItsHome), "relocated away from its home");
            assertEquals(CopyState.NONE, m0.copyState(table, leavesItsHome), "the home had no intent of its own");
            final CopyState at0 = m0.copyState(table, shared);
            final CopyState at2 = m2.copyState(table, shared);
            assertTrue(at0 == CopyState.MAIN && at2 == CopyState.REPLICA || at0 == CopyState.REPLICA &&
                at2 == CopyState.MAIN,
                "shared key: main copy on one member, replica on the other, was " + at0 + " / " + at2);

            final float[] value = new float[2];
            assertSame(OpHandle.DONE, workers[0].pull(table, new long[] {shared, toM0}, value),
                "member 0 reads inline");
            assertSame(OpHandle.DONE, workers[5].pull(table, new long[] {shared, toM2}, value),
                "member 2 reads inline");
            final OpHandle remote = workers[0].pull(table, new long[] {toM2, shared}, value);
            assertNotSame(OpHandle.DONE, remote);
            remote.await();
            assertTrue(remote.isDone());

            for (int i = 0; i < LASTING; i++)
            {
                for (final ParameterWorker w : workers)
                {
                    w.advanceClock();
                }
            }
            grid.waitSync();
            grid.waitSync();
            assertEquals(CopyState.MAIN, m0.copyState(table, toM0), "relocated keys stay after intents expire");
            assertEquals(CopyState.MAIN, m2.copyState(table, toM2));
            assertEquals(CopyState.MAIN, m2.copyState(table, leavesItsHome));
            for (final GridMember member : grid.members())
            {
                assertEquals(0, member.replicas(table), "replicas are dropped once intents expired on " + member);
            }
            assertTrue(m0.syncStats().relocateDecisions() + m1.syncStats().relocateDecisions() > 0);
            for (final ParameterWorker w : workers)
            {
                w.close();
            }
        }
    }

    @Test
    void aBriefIntentGetsAReplicaAndTheMainCopyStaysAtItsHome()
    {
        try (ParameterGrid grid = Grids.start(2, Mode.ADAPTIVE);
             ParameterWorker worker = grid.member(0).worker();
             ParameterWorker atHome = grid.member(1).worker())
        {
            final Table table = grid.table(TableSpec.of("brief-intent", 20, 1));
            Grids.touchAll(grid, table);
            final GridMember home = grid.member(1);
            final long key = Grids.homedOn(home, table, 1)[0];
            final float[] before = new float[1];
            atHome.pull(table, new long[] {key}, before).await();
            worker.intent(table, new long[] {key}, 0, 2);
            grid.waitSync();
            grid.waitSync();
            assertEquals(CopyState.REPLICA, grid.member(0).copyState(table, key), "a replica for the brief use");
            assertEquals(CopyState.MAIN, home.copyState(table, key), "the main copy stays at its home");
            assertSame(OpHandle.DONE, worker.pull(table, new long[] {key}, new float[1]), "read inline");
            worker.push(table, new long[] {key}, new float[] {1}).await();
            worker.advanceClock();
            worker.advanceClock();
            grid.waitSync();
            grid.waitSync();
            assertEquals(CopyState.NONE, grid.member(0).copyState(table, key), "the replica is dropped");
            final float[] after = new float[1];
            atHome.pull(table, new long[] {key}, after).await();
            assertEquals(before[0] + 1, after[0], 1e-6, "the push reached the main copy");
            assertEquals(0, home.syncStats().relocateDecisions(), "nothing moved");
        }
    }

    private static boolean homeHolds(final ParameterGrid grid, final Table table, final long key)
    {
        for (final GridMember member : grid.members())
        {
            if (member.isHome(table, key))
            {
                return member.copyState(table, key) == CopyState.MAIN;
            }
        }
        return false;
    }
}
