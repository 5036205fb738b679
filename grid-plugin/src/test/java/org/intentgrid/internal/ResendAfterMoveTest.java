package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A push that its owner answered, and whose backup the pusher had not seen confirmed, is sent again when the owner is
 * lost; if the key moved on before that, the member holding it now has a value that includes the push, and must not
 * apply it again. Before, the push was counted twice in both cases here:
 * <ul>
 *     <li>the owner's backup had the push and then the key was relocated: the pusher asks every member which of its
 *     updates they know applied ({@link KnownUpdates}), the owner's backup holder knows this one, so it is not sent
 *     again;</li>
 *     <li>the owner had not backed the push up when the key was relocated: the relocation carried the push's
 *     fingerprint to the key's new owner ({@link Stripe#appliedTo}), which knows it;</li>
 *     <li>the owner left gracefully, its adopted key includes the push, and its LEFT did not reach the pusher, which
 *     takes it for a crash: the flush after the hand-over carried the push's fingerprint to the backup holder, or, if
 *     that flush failed, the adoption carried it to the adopter.</li>
 * </ul>
 * <p>
 * Three in-memory members: {@code owner} holds the key and flushes its backups once a minute (so the push stays
 * unconfirmed), {@code pusher} pushes to it, {@code taker} is the home of every key and takes the key over.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResendAfterMoveTest
{
    private static final TableSpec SPEC = TableSpec.of("resend-after-move", 1000, 4).init(Init.uniform(-1, 1, 9));
    private static final int PARTITIONS = 4;
    private static final long[] KEYS = {31};
    private static final float AMOUNT = 2f;

    private final InMemoryCluster cluster = new InMemoryCluster(PARTITIONS);
    private final MemberRuntime owner = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000)
        .backupFlushMillis(60_000));
    private final MemberRuntime pusher = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000));
    private final MemberRuntime taker = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000));

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aPushTheOwnerBackedUpBeforeItsKeyWasRelocatedIsNotSentAgain()
    {
        final float[] expected = pushedUnconfirmed();
        owner.flushBackup();
        final WorkerEngine atTaker = taker.newWorker();
        atTaker.localize(atTaker.store(SPEC), KEYS).await();
        cluster.await(() -> owner.backupStats().handedOverUnconfirmed() == 0, "the taker's backup has the key");

        crashAndAssertAppliedOnce(expected, "the pusher learnt the push was applied");
    }

    @Test
    void aPushTheOwnerHadNotBackedUpIsKnownWhereItsKeyWasRelocated()
    {
        final float[] expected = pushedUnconfirmed();
        final WorkerEngine atTaker = taker.newWorker();
        atTaker.localize(atTaker.store(SPEC), KEYS).await();
        cluster.await(() -> owner.backupStats().handedOverUnconfirmed() == 0, "the taker's backup has the key");

        crashAndAssertAppliedOnce(expected, "the pusher learnt from the taker that its push was applied");
    }

    @Test
    void aPushTheOwnerBackedUpBeforeItLeftIsNotSentAgainByAMemberNotToldItLeft()
    {
        final float[] expected = pushedUnconfirmed();
        cluster.interceptor((message, from, to, payload) ->
            message.equals("direct left") && to.equals(pusher.self()) ?
                CompletableFuture.failedFuture(new IllegalStateException("left lost by the test")) : null);
        assertEquals(1, owner.leave(5000), "the owner handed its key over");
        assertTrue(taker.table(SPEC).holdsMain(KEYS[0]) || pusher.table(SPEC).holdsMain(KEYS[0]), "adopted");

        crashAndAssertAppliedOnce(expected, "the pusher, not told, learnt that the owner's backup had its push");
    }

    @Test
    void aPushTheLeaverCouldNotBackUpIsKnownWhereItsKeyWasAdopted()
    {
        final float[] expected = pushedUnconfirmed();
        cluster.interceptor((message, from, to, payload) ->
            from.equals(owner.self()) && message.startsWith("direct backup") ||
                message.equals("direct left") && to.equals(pusher.self()) ?
                CompletableFuture.failedFuture(new IllegalStateException("refused by the test")) : null);
        assertEquals(1, owner.leave(5000), "the owner handed its key over");

        crashAndAssertAppliedOnce(expected, "the pusher learnt from the adopter that its push was applied");
    }

    /** The owner creates the key, the pusher adds {@code AMOUNT}; returns the value the key has now. */
    private float[] pushedUnconfirmed()
    {
        cluster.homesAt(taker);
        final WorkerEngine atOwner = owner.newWorker();
        atOwner.localize(atOwner.store(SPEC), KEYS).await();
        final float[] value = new float[SPEC.valueLength()];
        atOwner.pull(atOwner.store(SPEC), KEYS, value, null, 1).await();
        final WorkerEngine atPusher = pusher.newWorker();
        final float[] update = new float[SPEC.valueLength()];
        Arrays.fill(update, AMOUNT);
        atPusher.push(atPusher.store(SPEC), KEYS, 1, update).await();
        assertEquals(1, pusher.backupStats().updatesUnconfirmed(), "the owner has not backed the push up");
        for (int e = 0; e < value.length; e++)
        {
            value[e] += AMOUNT;
        }
        return value;
    }

    /**
     * Crashes the owner; the pusher learns that its push was applied ({@code how}) and sends nothing again, and the key
     * holds the push once.
     */
    private void crashAndAssertAppliedOnce(final float[] expected, final String how)
    {
        cluster.crash(owner.self());
        cluster.await(() -> pusher.backupStats().updatesKnownApplied() == 1, how);
        assertArrayEquals(expected, readAfterResends(), 1e-6f,
            () -> "the push counted once; traffic: " + cluster.traffic());
        assertEquals(0, pusher.backupStats().updatesResent(), "nothing was sent again");
    }

    private float[] readAfterResends()
    {
        pusher.syncCluster();
        final WorkerEngine atPusher = pusher.newWorker();
        final float[] read = new float[SPEC.valueLength()];
        atPusher.pull(atPusher.store(SPEC), KEYS, read, null, 1).await();
        return read;
    }
}
