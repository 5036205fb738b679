package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Remote updates that the owner answered but had not backed up yet, kept by their requester
 * ({@link UnconfirmedUpdates}) and sent again when the owner crashes:
 * <ul>
 *     <li>also in the owner's first flush interval: the answer names the flush that will carry the update, so the
 *     requester keeps it (before, a member named no flush until its first flush had found a holder);</li>
 *     <li>a checkpoint's or rollback's sync waits until they were sent again and answered, so none lands after a
 *     rollback (counted twice by an exactly-once job that trains its items again) or misses a checkpoint; also
 *     when the owner left the cluster but the requester has not heard of it yet;</li>
 *     <li>a rollback forgets the ones of the tables it rolls back: no crash afterwards sends them again;</li>
 *     <li>one whose owner's flush failed is in the owner's backup once the full resync after it completed, its
 *     fingerprint too: it is not sent again (before, the resync carried only the fingerprints noted since the failed
 *     flush took this one, the re-send found the recovered key without it, and the push counted twice);</li>
 *     <li>a pull of the key by the requester right after the crash waits until the re-send was answered, so it reads
 *     its own acknowledged push (read your writes; before, it read the key started again from its initializer).</li>
 * </ul>
 * Two in-memory members: {@code a} flushes once a minute (so its first flush never runs here) and is the keys'
 * home until it crashes; {@code b} pushes to a key a holds, then becomes the home and recovers a.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnconfirmedUpdatesCrashTest
{
    private static final TableSpec SPEC = TableSpec.of("unconfirmed", 1000, 4).init(Init.uniform(-1, 1, 7));
    private static final int PARTITIONS = 4;
    private static final long KEY = 23;
    private static final float AMOUNT = 3f;

    private final InMemoryCluster cluster = new InMemoryCluster(PARTITIONS);
    private final MemberRuntime a = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000)
        .backupFlushMillis(60_000));
    private final MemberRuntime b = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000));
    private final WorkerEngine atB = b.newWorker();

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aPushAcknowledgedBeforeTheOwnersFirstFlushIsKeptAndSurvivesItsCrash()
    {
        final float[] expected = pushFromBToAKeyOfA();
        assertEquals(0, a.backupStats().flushes(), "a has not flushed yet");
        assertEquals(1, b.backupStats().updatesUnconfirmed(), "b keeps the push until a's backup has it");

        cluster.homesAt(b);
        cluster.crash(a.self());
        // one pull: it waits for b's re-send (ResendingKeys)
        assertArrayEquals(expected, pullAtB(), 1e-6f, () -> "the push survived a's crash; traffic: " +
            cluster.traffic());
        assertEquals(1, b.backupStats().updatesResent(), "b sent the push again");
    }

    @Test
    void aPullRightAfterTheCrashWaitsForTheMembersOwnReSend()
    {
        final float[] expected = pushFromBToAKeyOfA();
        cluster.homesAt(b);
        final AtomicBoolean delayed = delayFirstPush();
        cluster.crash(a.self());
        final float[] now = pullAtB();
        assertTrue(delayed.get(), "the re-send went through the slow network: " + cluster.traffic());
        assertArrayEquals(expected, now, 1e-6f, () -> "b read its own acknowledged push: the key started again " +
            "from its initializer at b (a had no backup of it), and b's pull waited for b's re-send; traffic: " +
            cluster.traffic());
    }

    @Test
    void aCheckpointSyncWaitsForTheUpdatesSentAgainAfterACrash()
    {
        final float[] expected = pushFromBToAKeyOfA();
        cluster.homesAt(b);
        final AtomicBoolean delayed = delayFirstPush();
        cluster.crash(a.self());
        b.syncCluster();
        final float[] now = pullAtB();
        assertTrue(delayed.get(), "the re-send went through the slow network: " + cluster.traffic());
        assertArrayEquals(expected, now, 1e-6f, () -> "the re-sent push is in place once the sync returned; " +
            "traffic: " + cluster.traffic());
    }

    @Test
    void aCheckpointSyncSendsAgainTheUpdatesOfAnOwnerThatLeftTheClusterBeforeItsMemberEventArrived()
    {
        final float[] expected = pushFromBToAKeyOfA();
        cluster.homesAt(b);
        cluster.crashUnnoticed(a.self());
        b.syncCluster();
        assertEquals(1, b.backupStats().updatesResent(), "b sent the push again although it had not heard of the " +
            "crash: a is no longer a member");
        assertArrayEquals(expected, pullAtB(), 1e-6f, () -> "the push is in place once the sync returned; " +
            "traffic: " + cluster.traffic());
        cluster.notice(a.self());
        assertArrayEquals(expected, pullAtB(), 1e-6f, "hearing of the crash later sends nothing twice");
    }

    @Test
    void aRollbackVoidsTheUpdatesItsOwnerHadNotBackedUpSoNoneLandsAfterIt()
    {
        final float[] initial = pushFromBToAKeyOfA();
        for (int e = 0; e < initial.length; e++)
        {
            initial[e] -= AMOUNT;
        }
        b.resetCluster(List.of(SPEC));
        assertEquals(0, b.backupStats().updatesUnconfirmed(), "the rollback voided the kept push");
        cluster.homesAt(b);
        cluster.crash(a.self());
        b.syncCluster();
        assertEquals(0, b.backupStats().updatesResent(), "nothing from before the rollback was sent again");
        assertArrayEquals(initial, pullAtB(), 1e-6f, () -> "the key holds its initial value, as the rollback " +
            "left it; traffic: " + cluster.traffic());
    }

    @Test
    void aPushWhoseFlushFailedIsInTheBackupOnceTheResyncThatFollowedCompleted()
    {
        final float[] expected = pushFromBToAKeyOfA();
        final AtomicBoolean refused = new AtomicBoolean();
        cluster.interceptor((message, from, to, payload) ->
            from.equals(a.self()) && message.startsWith("direct backup") && refused.compareAndSet(false, true) ?
                CompletableFuture.failedFuture(new IllegalStateException("backup refused by the test")) : null);
        assertThrows(IllegalStateException.class, a::flushBackup, "the flush that took the push's fingerprint failed");
        a.flushBackup();

        cluster.homesAt(b);
        cluster.crash(a.self());
        cluster.await(() -> b.backupStats().updatesKnownApplied() == 1, "b learnt that a's backup had its push");
        // nothing is sent again, so nothing holds b's read until the recovery: homesAt moved the home without its
        // directory entry naming a, which would make a read wait
        cluster.await(() -> b.backupStats().keysRecovered() == 1, "b recovered a's key");
        assertArrayEquals(expected, pullAtB(), 1e-6f, () -> "the push, recovered with the key from the resync, " +
            "counted once; traffic: " + cluster.traffic());
        assertEquals(0, b.backupStats().updatesResent(), "nothing was sent again");
    }

    /**
     * Makes the next push message slow (a busy network): 500 ms on its sender's thread.
     *
     * @return becomes true once a push was delayed
     */
    private AtomicBoolean delayFirstPush()
    {
        final AtomicBoolean delayed = new AtomicBoolean();
        cluster.interceptor((message, from, to, payload) ->
        {
            if (message.endsWith("push") && delayed.compareAndSet(false, true))
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            }
            return null;
        });
        return delayed;
    }

    /** Creates the key at a (its home), adds {@code AMOUNT} to it from b; returns the value it has now. */
    private float[] pushFromBToAKeyOfA()
    {
        cluster.homesAt(a);
        final WorkerEngine atA = a.newWorker();
        final float[] value = new float[SPEC.valueLength()];
        atA.pull(atA.store(SPEC), new long[] {KEY}, value, null, 1).await();
        final float[] update = new float[SPEC.valueLength()];
        Arrays.fill(update, AMOUNT);
        atB.push(atB.store(SPEC), new long[] {KEY}, 1, update).await();
        for (int e = 0; e < value.length; e++)
        {
            value[e] += AMOUNT;
        }
        return value;
    }

    private float[] pullAtB()
    {
        final float[] now = new float[SPEC.valueLength()];
        atB.pull(atB.store(SPEC), new long[] {KEY}, now, null, 1).await();
        return now;
    }
}
