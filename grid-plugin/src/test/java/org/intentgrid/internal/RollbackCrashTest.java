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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A crash soon after a rollback recovers the rolled-back values: the rollback's reset reaches every backup before
 * the rollback goes on (before, a member that flushed once a minute left its holder with the value from before the
 * rollback, and the holder recovered that one — an exactly-once job would count the updates behind it twice).
 * Two in-memory members: {@code a} holds the key and flushes once a minute; {@code b} holds a's backups.
 * And a remote push still on its way when a rollback starts lands before the reset, not on the reset value; a
 * rollback right after a crash waits for the recovery instead of failing on the lost member's keys in transit, also
 * when the member that recovers them hears of the crash after the member that asks for the rollback, and one during
 * which a member is lost tries again once that member's keys are recovered.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RollbackCrashTest
{
    private static final TableSpec SPEC = TableSpec.of("rollback", 1000, 4).init(Init.uniform(-1, 1, 5));
    private static final int PARTITIONS = 4;
    private static final long KEY = 17;
    private static final float AMOUNT = 5f;

    private final InMemoryCluster cluster = new InMemoryCluster(PARTITIONS);
    private final MemberRuntime a = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000)
        .backupFlushMillis(60_000));
    private final MemberRuntime b = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000));

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aCrashAfterARollbackRecoversTheRolledBackValueNotTheOneBefore()
    {
        final float[] initial = pushedAtAAndBackedUp();

        b.resetCluster(List.of(SPEC));
        cluster.homesAt(b);
        cluster.crash(a.self());
        cluster.await(() -> b.backupStats().keysRecovered() == 1, "b recovered a's key");
        assertKeyAt(b, initial, "the key has the value the rollback left");
    }

    @Test
    void aRollbackWaitsForARemotePushStillOnItsWay() throws Exception
    {
        cluster.homesAt(a);
        final WorkerEngine atA = a.newWorker();
        final float[] initial = new float[SPEC.valueLength()];
        atA.pull(atA.store(SPEC), new long[] {KEY}, initial, null, 1).await();
        final CountDownLatch pushSent = new CountDownLatch(1);
        cluster.interceptor((message, from, to, payload) ->
        {
            if (message.endsWith("push") && from.equals(b.self()))
            {
                pushSent.countDown();
                sleepMillis(500);
            }
            return null;
        });
        final WorkerEngine atB = b.newWorker();
        final float[] update = new float[SPEC.valueLength()];
        Arrays.fill(update, AMOUNT);
        final CompletableFuture<Void> push = CompletableFuture.runAsync(() ->
            atB.push(atB.store(SPEC), new long[] {KEY}, 1, update).await());
        assertTrue(pushSent.await(10, TimeUnit.SECONDS), "b's push was sent");

        b.resetCluster(List.of(SPEC));
        push.get(10, TimeUnit.SECONDS);

        assertKeyAt(a, initial, "the push sent before the rollback was rolled back too");
    }

    @Test
    void aRollbackRightAfterACrashWaitsForTheRecovery()
    {
        final float[] initial = pushedAtAAndBackedUp();
        cluster.interceptor((message, from, to, payload) ->
        {
            if (message.endsWith("claim"))
            {
                sleepMillis(500);
            }
            return null;
        });
        cluster.homesAt(b);
        cluster.crash(a.self());

        b.resetCluster(List.of(SPEC));

        assertTrue(b.backupStats().keysRecovered() == 1, "b recovered a's key before the reset");
        assertKeyAt(b, initial, "the recovered key was rolled back");
    }

    @Test
    void aRollbackWaitsUntilEveryMemberHeardOfTheCrash() throws Exception
    {
        final MemberRuntime c = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000));
        final float[] initial = pushedAtAAndBackedUp();
        cluster.homesAt(c);
        cluster.crashUnnoticed(a.self());
        cluster.noticeAt(c, a.self());
        final CompletableFuture<Void> holderHearsLate = CompletableFuture.runAsync(() ->
        {
            sleepMillis(800);
            cluster.noticeAt(b, a.self());
        });

        c.resetCluster(List.of(SPEC));

        holderHearsLate.get(10, TimeUnit.SECONDS);
        assertTrue(b.backupStats().keysRecovered() == 1, "b, a's backup holder, recovered a's key before the reset");
        assertKeyAt(c, initial, "the recovered key was rolled back");
    }

    @Test
    void aRollbackDuringWhichAMemberIsLostTriesAgainAfterItsRecovery()
    {
        final MemberRuntime c = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000));
        final float[] initial = pushedAtAAndBackedUp();
        cluster.homesAt(c);
        cluster.interceptor((message, from, to, payload) ->
        {
            if (message.startsWith("checkpoint") && to.equals(a.self()))
            {
                cluster.crash(a.self());
                return CompletableFuture.failedFuture(new IllegalStateException("a crashed during the rollback"));
            }
            return null;
        });

        c.resetCluster(List.of(SPEC));

        assertTrue(b.backupStats().keysRecovered() == 1, "b, a's backup holder, recovered a's key before the reset");
        assertKeyAt(c, initial, "the recovered key was rolled back");
    }

    /** @return the key's initial value, before {@code a} (its home and owner) added {@link #AMOUNT} and flushed */
    private float[] pushedAtAAndBackedUp()
    {
        cluster.homesAt(a);
        final WorkerEngine atA = a.newWorker();
        final float[] initial = new float[SPEC.valueLength()];
        atA.pull(atA.store(SPEC), new long[] {KEY}, initial, null, 1).await();
        final float[] update = new float[SPEC.valueLength()];
        Arrays.fill(update, AMOUNT);
        atA.push(atA.store(SPEC), new long[] {KEY}, 1, update).await();
        a.flushBackup();
        return initial;
    }

    /** Asserts that a worker at {@code member} pulls {@code expected} for {@link #KEY}. */
    private void assertKeyAt(final MemberRuntime member, final float[] expected, final String what)
    {
        final WorkerEngine worker = member.newWorker();
        final float[] now = new float[SPEC.valueLength()];
        worker.pull(worker.store(SPEC), new long[] {KEY}, now, null, 1).await();
        assertArrayEquals(expected, now, 1e-6f, () -> what + "; traffic: " + cluster.traffic());
    }

    private static void sleepMillis(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
