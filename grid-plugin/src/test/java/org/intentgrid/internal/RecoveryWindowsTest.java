package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two narrow windows of crash recovery, made certain with in-memory members (a, the keys' home, and b, which holds
 * the key and crashes; c joins at the end of the member list, so it becomes b's backup holder):
 * <ul>
 *     <li>b is lost while its backups move from a to c (c joined less than a flush ago; here b's resync to c is
 *     refused): the previous holder a, whose copy is complete, recovers b when c, whose copy is partial, asks it
 *     (before, c recovered from its partial copy and b's key started again from its initializer);</li>
 *     <li>a pushed to b's key, b's flush carried the push to c, and b crashed before a heard so; c does not answer
 *     a's question which of its updates are known applied ({@link KnownUpdates}; answered, it spares the re-send), so
 *     a sends the push again, and only c, which recovered the key, can tell it is applied. The recovered key stays
 *     at c until a's re-send was answered ({@link RecoveryPins}); before, a localize moved it on to a while the
 *     re-send (delayed here) was on its way, and a applied the push a second time;</li>
 *     <li>the same, with a's re-send started by a checkpoint's sync before a heard that b was lost: its answer to
 *     c's RECOVERED waits for that re-send too ({@link LostMemberResends}); before, a's membership event found
 *     nothing left to send, the key moved on to a, and the late re-send was applied again there.</li>
 * </ul>
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecoveryWindowsTest
{
    private static final TableSpec SPEC = TableSpec.of("windows", 1000, 4).init(Init.uniform(-1, 1, 9));
    private static final int PARTITIONS = 4;
    private static final long KEY = 31;
    private static final float AMOUNT = 2f;
    private static final GridConfig CONFIG = GridConfig.embedded().requestTimeoutMillis(5000);

    private final InMemoryCluster cluster = new InMemoryCluster(PARTITIONS);
    private final MemberRuntime a = cluster.addMember(CONFIG);
    private final MemberRuntime b = cluster.addMember(CONFIG);

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aMemberLostDuringItsResyncToANewHolderIsRecoveredByThePreviousHolder()
    {
        final float[] expected = keyAtBPushedFrom(b);
        assertEquals(1, a.backupStats().backupKeysHeld(), "a holds b's backup");

        cluster.interceptor((message, from, to, payload) -> from.equals(b.self()) && message.startsWith(
            "direct backup") && !to.equals(a.self()) ?
            CompletableFuture.failedFuture(new IllegalStateException("resync refused by the test")) : null);
        final MemberRuntime c = cluster.addMember(CONFIG);
        cluster.homesAt(a);
        cluster.await(() -> cluster.traffic().contains("direct backup-reset m2 -> m3"), "b began its resync to c");

        cluster.crash(b.self());
        cluster.await(() -> a.backupStats().keysRecovered() == 1, "a recovered b's key");
        assertTrue(cluster.traffic().contains("direct recover m3 -> m1"), "c, whose copy was partial, asked a: " +
            cluster.traffic());
        assertArrayEquals(expected, pull(c.newWorker()), 1e-6f,
            () -> "b's key kept its value; traffic: " + cluster.traffic());
        assertTrue(a.tables().liveTable(SPEC).holdsMain(KEY), "a holds it now");
    }

    @Test
    void aReSentUpdateIsNotAppliedAgainWhenItsRecoveredKeyMovesOn()
    {
        final MemberRuntime c = cluster.addMember(CONFIG);
        final float[] expected = keyAtBPushedFrom(a);
        assertEquals(1, a.backupStats().updatesUnconfirmed(), "a has not heard that b's backup has its push");

        final AtomicBoolean delayed = delayFirstPushFromA();
        cluster.crash(b.self());
        cluster.await(() -> c.backupStats().keysRecovered() == 1, "c recovered b's key");
        final WorkerEngine atA = a.newWorker();
        atA.localize(atA.store(SPEC), new long[] {KEY}).await();
        // returns once a's re-sends were answered
        a.syncCluster();

        final float[] now = pull(atA);
        assertTrue(delayed.get(), "a's re-send was delayed: " + cluster.traffic());
        assertTrue(atA.store(SPEC).holdsMain(KEY), "the key moved to a once a's re-send was answered");
        assertArrayEquals(expected, now, 1e-6f, () -> "a's push counted once; traffic: " + cluster.traffic());
    }

    @Test
    void aRecoveredKeyIsReadOnlyOnceTheUpdatesSentAgainLanded()
    {
        final MemberRuntime c = cluster.addMember(CONFIG);
        cluster.homesAt(a);
        final WorkerEngine atB = b.newWorker();
        atB.localize(atB.store(SPEC), new long[] {KEY}).await();
        final float[] expected = pull(atB);
        b.flushBackup();
        final WorkerEngine atA = a.newWorker();
        final float[] update = new float[SPEC.valueLength()];
        Arrays.fill(update, AMOUNT);
        atA.push(atA.store(SPEC), new long[] {KEY}, 1, update).await();
        for (int e = 0; e < expected.length; e++)
        {
            expected[e] += AMOUNT;
        }
        assertEquals(1, a.backupStats().updatesUnconfirmed(), "c's copy of b's key lacks a's push");

        final AtomicBoolean delayed = delayFirstPushFromA();
        cluster.crash(b.self());
        cluster.await(() -> c.backupStats().keysRecovered() == 1, "c recovered b's key");
        final float[] now = pull(atA);
        assertTrue(delayed.get(), "a's re-send was delayed: " + cluster.traffic());
        assertArrayEquals(expected, now, 1e-6f, () -> "a read its own acknowledged push, which reached c only " +
            "after c had recovered the key; traffic: " + cluster.traffic());
    }

    @Test
    void aMemberThatJoinedDuringTheRecoveryDoesNotHoldUpReadsOfTheRecoveredKeys() throws Exception
    {
        final MemberRuntime c = cluster.addMember(CONFIG);
        final float[] expected = keyAtBPushedFrom(b);
        final CountDownLatch joined = new CountDownLatch(1);
        final AtomicBoolean claimHeld = new AtomicBoolean();
        cluster.interceptor((message, from, to, payload) ->
        {
            if (message.endsWith("claim") && claimHeld.compareAndSet(false, true))
            {
                awaitQuietly(joined);
            }
            return null;
        });
        cluster.crash(b.self());
        cluster.await(claimHeld::get, "c claims b's key");
        cluster.addMember(CONFIG);
        joined.countDown();
        cluster.await(() -> c.backupStats().keysRecovered() == 1, "c recovered b's key");

        final long start = System.nanoTime();
        final float[] now = pull(c.newWorker());
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertArrayEquals(expected, now, 1e-6f, () -> "b's key kept its value; traffic: " + cluster.traffic());
        assertTrue(millis < 2000, "the pull waited " + millis + " ms: the member that joined during the recovery " +
            "has nothing to send again and answers RECOVERED at once (before: after twice the request timeout, " +
            "and the recovered key stayed unread for the recoverer's whole wait, 5 s)");
    }

    @Test
    void aReSentUpdateStartedBeforeTheLossWasHeardHoldsTheRecoveredKeyToo() throws Exception
    {
        final MemberRuntime c = cluster.addMember(CONFIG);
        final float[] expected = keyAtBPushedFrom(a);
        assertEquals(1, a.backupStats().updatesUnconfirmed(), "a has not heard that b's backup has its push");
        final CountDownLatch moved = new CountDownLatch(1);
        final AtomicBoolean held = new AtomicBoolean();
        cluster.interceptor((message, from, to, payload) ->
        {
            if (from.equals(a.self()) && message.endsWith("push") && held.compareAndSet(false, true))
            {
                awaitQuietly(moved, 2);
            }
            return unanswered(message);
        });
        cluster.crashUnnoticed(b.self());
        cluster.noticeAt(c, b.self());
        cluster.await(() -> c.backupStats().keysRecovered() == 1, "c recovered b's key");
        // a checkpoint's sync sends a's unconfirmed push again before a heard that b was lost (resendToDeparted)
        final CompletableFuture<String[]> sync = CompletableFuture.supplyAsync(
            () -> a.checkpoint(null, List.of(SPEC), CheckpointPhase.SYNC, new UUID[0]));
        cluster.await(held::get, "a's re-send is on its way");
        cluster.noticeAt(a, b.self());
        final WorkerEngine atA = a.newWorker();
        atA.localize(atA.store(SPEC), new long[] {KEY}).await();
        moved.countDown();
        sync.get(20, TimeUnit.SECONDS);
        a.syncCluster();

        assertTrue(atA.store(SPEC).holdsMain(KEY), "the key moved to a");
        assertArrayEquals(expected, pull(atA), 1e-6f, () -> "a's push counted once, although a's re-send had " +
            "started before a heard of the loss; traffic: " + cluster.traffic());
    }

    /**
     * Makes a's next push message slow (its re-send after b's crash): 500 ms on its sender's thread.
     *
     * @return becomes true once a push was delayed
     */
    private AtomicBoolean delayFirstPushFromA()
    {
        final AtomicBoolean delayed = new AtomicBoolean();
        cluster.interceptor((message, from, to, payload) ->
        {
            if (from.equals(a.self()) && message.endsWith("push") && delayed.compareAndSet(false, true))
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            }
            return unanswered(message);
        });
        return delayed;
    }

    /** @return a failed answer to a question about applied updates (as from a member that did not answer), else null */
    private static CompletableFuture<?> unanswered(final String message)
    {
        return message.equals("direct applied") ?
            CompletableFuture.failedFuture(new IllegalStateException("question not answered (test)")) : null;
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        awaitQuietly(latch, 20);
    }

    private static void awaitQuietly(final CountDownLatch latch, final long seconds)
    {
        try
        {
            latch.await(seconds, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Moves the key to b, adds {@code AMOUNT} to it from a worker on {@code pusher}, and has b's backup flushed.
     *
     * @return the key's value now
     */
    private float[] keyAtBPushedFrom(final MemberRuntime pusher)
    {
        cluster.homesAt(a);
        final WorkerEngine atB = b.newWorker();
        atB.localize(atB.store(SPEC), new long[] {KEY}).await();
        final float[] value = pull(atB);
        final float[] update = new float[SPEC.valueLength()];
        Arrays.fill(update, AMOUNT);
        final WorkerEngine worker = pusher.newWorker();
        worker.push(worker.store(SPEC), new long[] {KEY}, 1, update).await();
        for (int e = 0; e < value.length; e++)
        {
            value[e] += AMOUNT;
        }
        b.flushBackup();
        return value;
    }

    private static float[] pull(final WorkerEngine worker)
    {
        final float[] value = new float[SPEC.valueLength()];
        worker.pull(worker.store(SPEC), new long[] {KEY}, value, null, 1).await();
        return value;
    }
}
