package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recovery reports how much of the lost member's own work may be missing: how long before the holder heard of the
 * loss the lost member's last backup had arrived. {@code a} flushes once a minute, so its only backup is the one the
 * test asks for; {@code b} holds it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LossWindowTest
{
    private static final TableSpec SPEC = TableSpec.of("window", 100, 4).init(Init.uniform(-1, 1, 3));
    private static final long SILENCE_MILLIS = 300;

    private final InMemoryCluster cluster = new InMemoryCluster(4);
    private final MemberRuntime a = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000)
        .backupFlushMillis(60_000));
    private final MemberRuntime b = cluster.addMember(GridConfig.embedded().requestTimeoutMillis(5000));

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    @Test
    void aRecoveryReportsHowOldTheLostMembersLastBackupWas()
    {
        cluster.homesAt(a);
        final WorkerEngine atA = a.newWorker();
        final float[] update = new float[SPEC.valueLength()];
        Arrays.fill(update, 1f);
        atA.push(atA.store(SPEC), new long[] {5}, 1, update).await();
        a.flushBackup();
        assertEquals(-1, b.backupStats().lastBackupAgeMillis(), "no recovery yet");

        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SILENCE_MILLIS));
        cluster.homesAt(b);
        cluster.crash(a.self());
        cluster.await(() -> b.backupStats().keysRecovered() == 1, "b recovered a's key");

        final long age = b.backupStats().lastBackupAgeMillis();
        assertTrue(age >= SILENCE_MILLIS && age < 20_000, "a's last backup arrived " + SILENCE_MILLIS +
            " ms or more before its loss, reported " + age + " ms");
    }
}
