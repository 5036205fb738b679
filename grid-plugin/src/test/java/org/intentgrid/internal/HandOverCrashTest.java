package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A main copy moved to a member that is lost before its backup holder heard of the key survives: the old owner kept
 * a copy of what it handed over and claims it back. Without that, the key was gone with the new owner — created
 * afresh from its initializer once the home forgot the lost member, or, when the home had not heard of the move,
 * never answered at all (the home kept naming the old owner, which no longer held it).
 * <p>
 * Three in-memory members {@code a}, {@code b}, {@code c} (c holds b's backups); b's backup flushes are refused
 * (as if b died before its next flush reached c), then b is crashed. The crash test with forked JVMs and SIGKILL
 * is {@code CrashRecoveryIT}; this one makes the narrow window certain.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandOverCrashTest
{
    private static final TableSpec SPEC = TableSpec.of("handover", 1000, 4).init(Init.uniform(-1, 1, 5));
    private static final int PARTITIONS = 4;
    private static final long KEY = 11;
    private static final float AMOUNT = 5f;

    private InMemoryCluster cluster;
    private MemberRuntime a;
    private MemberRuntime b;
    private MemberRuntime c;

    @BeforeEach
    void start()
    {
        cluster = new InMemoryCluster(PARTITIONS);
        final GridConfig config = GridConfig.embedded().requestTimeoutMillis(5000);
        a = cluster.addMember(config);
        b = cluster.addMember(config);
        c = cluster.addMember(config);
    }

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    /** The move was recorded at the key's home (a localize served there): the home names the lost member. */
    @Test
    void aKeyLocalizedByAMemberThatCrashesBeforeItsBackupHasItKeepsItsValue()
    {
        cluster.homesAt(a);
        final float[] expected = pushedAtA();

        refuseBackupsOf(b, false);
        final WorkerEngine worker = b.newWorker();
        worker.localize(worker.store(SPEC), new long[] {KEY}).await();
        assertEquals(1, a.backupStats().handedOverUnconfirmed(), "a keeps what it handed b until b's backup has it");

        crashAndAwaitRecovery(b);
        assertSurvived(expected);
    }

    /**
     * The move was served away from the home and b's notice to the home was lost with b: the home still names a,
     * which no longer holds the key.
     */
    @Test
    void aKeyLocalizedAwayFromItsHomeWhoseNoticeNeverArrivedIsAnsweredAgain()
    {
        cluster.homesAt(c);
        final WorkerEngine first = a.newWorker();
        first.localize(first.store(SPEC), new long[] {KEY}).await();
        final float[] expected = pushedAtA();

        refuseBackupsOf(b, true);
        final WorkerEngine worker = b.newWorker();
        final TableStore store = worker.store(SPEC);
        store.setHint(KEY, b.router().peerIndex(a.self()));
        worker.localize(store, new long[] {KEY});
        cluster.await(() -> cluster.traffic().contains("home notice m2 -> m3"), "b's notice to the home was sent");
        cluster.await(() -> store.holdsMain(KEY), "b installed the key");

        crashAndAwaitRecovery(b);
        assertSurvived(expected);
    }

    /** With b's backups working, b confirms what it got and a forgets its copy. */
    @Test
    void theOldOwnerForgetsItsCopyOnceTheNewOwnersBackupHasIt()
    {
        cluster.homesAt(a);
        pushedAtA();
        final WorkerEngine worker = b.newWorker();
        worker.localize(worker.store(SPEC), new long[] {KEY}).await();
        cluster.await(() -> a.backupStats().handedOverUnconfirmed() == 0, "a forgot its copy after b's confirmation");
        assertTrue(cluster.traffic().contains("direct handed-over m2 -> m1"), "b confirmed: " + cluster.traffic());
    }

    /** Creates the key, adds {@code AMOUNT} to it from a worker on a (which then holds it), returns its value. */
    private float[] pushedAtA()
    {
        final WorkerEngine worker = a.newWorker();
        final TableStore store = worker.store(SPEC);
        final float[] value = new float[SPEC.valueLength()];
        worker.pull(store, new long[] {KEY}, value, null, 1).await();
        final float[] update = new float[SPEC.valueLength()];
        Arrays.fill(update, AMOUNT);
        worker.push(store, new long[] {KEY}, 1, update).await();
        for (int e = 0; e < value.length; e++)
        {
            value[e] += AMOUNT;
        }
        return value;
    }

    /**
     * From now on {@code member}'s backup flushes fail (its holder never hears of what moves in), and with
     * {@code dropNotices} its notices to homes are never answered (they are lost with it when it crashes).
     */
    private void refuseBackupsOf(final MemberRuntime member, final boolean dropNotices)
    {
        final CompletableFuture<DataReply[]> silence = new CompletableFuture<>();
        cluster.interceptor((message, from, to, payload) ->
        {
            if (!from.equals(member.self()))
            {
                return null;
            }
            if (message.startsWith("direct backup"))
            {
                return CompletableFuture.failedFuture(new IllegalStateException("backup refused by the test"));
            }
            return dropNotices && message.equals("home notice") ? silence : null;
        });
    }

    private void crashAndAwaitRecovery(final MemberRuntime member)
    {
        cluster.crash(member.self());
        cluster.await(() -> cluster.traffic().stream().anyMatch(m -> m.startsWith("direct recovered")),
            "the lost member's holder announced its recovery");
    }

    /** a holds the key again, with the value it handed over, and no other member holds a main copy. */
    private void assertSurvived(final float[] expected)
    {
        final WorkerEngine worker = c.newWorker();
        final float[] now = new float[SPEC.valueLength()];
        worker.pull(worker.store(SPEC), new long[] {KEY}, now, null, 1).await();
        assertArrayEquals(expected, now, 1e-6f,
            () -> "the key's value survived the crash of the member it moved to; traffic: " + cluster.traffic());
        assertTrue(a.tables().liveTable(SPEC).holdsMain(KEY), "a claimed the key back");
        assertFalse(c.tables().liveTable(SPEC).holdsMain(KEY), "one main copy");
        assertEquals(0, a.backupStats().handedOverUnconfirmed());
        assertTrue(cluster.traffic().stream().anyMatch(m -> m.startsWith("log m1: ") &&
            m.contains("reclaimed 1 main copies handed to lost member")), "a logged what it reclaimed");
    }
}
