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
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member lost while its backups move to a new holder is recovered from the previous holder's complete copy, not
 * from the new holder's partial one. Members join at the end of the member list, so when {@code c} joins
 * {@code [a, b]}, b's holder changes from a to c; b's resync to c is refused here (as if b crashed before it
 * completed), then b crashes. Before, c recovered b from what it had (nothing), and b's key started again from its
 * initializer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HolderChangeCrashTest
{
    private static final TableSpec SPEC = TableSpec.of("holderchange", 1000, 4).init(Init.uniform(-1, 1, 9));
    private static final int PARTITIONS = 4;
    private static final long KEY = 31;
    private static final float AMOUNT = 2f;
    private static final GridConfig CONFIG = GridConfig.embedded().requestTimeoutMillis(5000);

    private final InMemoryCluster cluster = new InMemoryCluster(PARTITIONS);

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aMemberLostDuringItsResyncToANewHolderIsRecoveredByThePreviousHolder()
    {
        final MemberRuntime a = cluster.addMember(CONFIG);
        final MemberRuntime b = cluster.addMember(CONFIG);
        homesAt(a);
        final WorkerEngine atB = b.newWorker();
        final TableStore store = atB.store(SPEC);
        atB.localize(store, new long[] {KEY}).await();
        final float[] expected = new float[SPEC.valueLength()];
        atB.pull(store, new long[] {KEY}, expected, null, 1).await();
        final float[] update = new float[SPEC.valueLength()];
        Arrays.fill(update, AMOUNT);
        atB.push(store, new long[] {KEY}, update).await();
        for (int e = 0; e < expected.length; e++)
        {
            expected[e] += AMOUNT;
        }
        b.flushBackup();
        assertEquals(1, a.backupStats().backupKeysHeld(), "a holds b's backup");

        cluster.interceptor((message, from, to, payload) -> from.equals(b.self()) && message.startsWith(
            "direct backup") && !to.equals(a.self()) ?
            CompletableFuture.failedFuture(new IllegalStateException("resync refused by the test")) : null);
        final MemberRuntime c = cluster.addMember(CONFIG);
        homesAt(a);
        awaitTrue(() -> cluster.traffic().contains("direct backup-reset m2 -> m3"), "b began its resync to c");

        cluster.crash(b.self());
        awaitTrue(() -> a.backupStats().keysRecovered() == 1, "a recovered b's key");
        assertTrue(cluster.traffic().contains("direct recover m3 -> m1"), "c, whose copy was partial, asked a: " +
            cluster.traffic());
        final WorkerEngine atC = c.newWorker();
        final float[] now = new float[SPEC.valueLength()];
        atC.pull(atC.store(SPEC), new long[] {KEY}, now, null, 1).await();
        assertArrayEquals(expected, now, 1e-6f, () -> "b's key kept its value; traffic: " + cluster.traffic());
        assertTrue(a.tables().liveTable(SPEC).holdsMain(KEY), "a holds it now");
    }

    private void homesAt(final MemberRuntime home)
    {
        for (int p = 0; p < PARTITIONS; p++)
        {
            cluster.partitionOwner(p, home.self());
        }
    }

    private static void awaitTrue(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting until " + what);
            }
            try
            {
                Thread.sleep(5);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
