package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An update that the lost member had backed up, but whose requester had not heard so yet, is sent again after the
 * crash; only the member that recovered the key can tell it was applied (it holds the lost member's fingerprints).
 * If the key moved on before the re-send arrived, the new owner applied it a second time. Now a recovered key stays
 * at its recoverer ({@link RecoveryPins}) until every survivor's re-sends were answered.
 * <p>
 * Three in-memory members, a the keys' home: b holds the key, a pushes to it, b's flush carries the push to c
 * (b's holder), b crashes before a hears that; c recovers the key; a's re-send is delayed 500 ms, and meanwhile a
 * worker on a localizes the key.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecoveryPinsTest
{
    private static final TableSpec SPEC = TableSpec.of("pins", 1000, 4).init(Init.uniform(-1, 1, 11));
    private static final int PARTITIONS = 4;
    private static final long KEY = 41;
    private static final float AMOUNT = 4f;
    private static final GridConfig CONFIG = GridConfig.embedded().requestTimeoutMillis(5000);

    private final InMemoryCluster cluster = new InMemoryCluster(PARTITIONS);

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aReSentUpdateIsNotAppliedAgainWhenItsRecoveredKeyMovesOn()
    {
        final MemberRuntime a = cluster.addMember(CONFIG);
        final MemberRuntime b = cluster.addMember(CONFIG);
        final MemberRuntime c = cluster.addMember(CONFIG);
        for (int p = 0; p < PARTITIONS; p++)
        {
            cluster.partitionOwner(p, a.self());
        }
        final WorkerEngine atB = b.newWorker();
        atB.localize(atB.store(SPEC), new long[] {KEY}).await();
        final float[] expected = new float[SPEC.valueLength()];
        atB.pull(atB.store(SPEC), new long[] {KEY}, expected, null, 1).await();

        final WorkerEngine atA = a.newWorker();
        final TableStore store = atA.store(SPEC);
        final float[] update = new float[SPEC.valueLength()];
        Arrays.fill(update, AMOUNT);
        atA.push(store, new long[] {KEY}, update).await();
        for (int e = 0; e < expected.length; e++)
        {
            expected[e] += AMOUNT;
        }
        b.flushBackup();
        assertEquals(1, a.backupStats().updatesUnconfirmed(), "a has not heard that b's backup has its push");

        final AtomicBoolean delayed = new AtomicBoolean();
        cluster.interceptor((message, from, to, payload) ->
        {
            if (from.equals(a.self()) && message.endsWith("push") && delayed.compareAndSet(false, true))
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            }
            return null;
        });
        cluster.crash(b.self());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (c.backupStats().keysRecovered() < 1 && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        assertEquals(1, c.backupStats().keysRecovered(), "c recovered b's key");
        atA.localize(store, new long[] {KEY}).await();
        // returns once a's re-sends were answered
        a.syncCluster();

        final float[] now = new float[SPEC.valueLength()];
        atA.pull(store, new long[] {KEY}, now, null, 1).await();
        assertTrue(delayed.get(), "a's re-send was delayed: " + cluster.traffic());
        assertTrue(store.holdsMain(KEY), "the key moved to a once a's re-send was answered");
        assertArrayEquals(expected, now, 1e-6f, () -> "a's push counted once; traffic: " + cluster.traffic());
    }
}
