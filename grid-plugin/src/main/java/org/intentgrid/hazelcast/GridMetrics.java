package org.intentgrid.hazelcast;

import com.hazelcast.internal.metrics.DynamicMetricsProvider;
import com.hazelcast.internal.metrics.MetricDescriptor;
import com.hazelcast.internal.metrics.MetricsCollectionContext;
import com.hazelcast.internal.metrics.ProbeLevel;
import com.hazelcast.internal.metrics.ProbeUnit;
import org.intentgrid.BackupStats;
import org.intentgrid.GridStats;
import org.intentgrid.SamplingStats;
import org.intentgrid.internal.MemberRuntime;
import org.intentgrid.internal.MemberStats;
import org.intentgrid.internal.TableStore;
import org.intentgrid.spi.SamplingCounters;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The grid's statistics in Hazelcast's metrics system, so that they appear wherever a Hazelcast user looks: JMX
 * (Hazelcast's metrics JMX publisher, domain {@code com.hazelcast}, {@code prefix=intentgrid}), Management Center and
 * the diagnostics log. Collected at Hazelcast's metrics collection interval (default 5 s) from the counters the
 * member keeps anyway; nothing is counted for this.
 * <p>
 * Member metrics have the prefix {@value #PREFIX}: access (keys pulled, pushed, local and from replicas, local share,
 * remote operations and bytes), relocations, sync rounds and owner decisions, crash safety (backup flushes, backups
 * held, recoveries, updates and hand-overs waiting for a backup) and off-heap bytes. Table metrics have the prefix
 * {@value #TABLE_PREFIX} and the tag {@code table=<name>}: main copies, replicas and off-heap bytes on this member,
 * and for a table whose sampling is enabled here its sampling counters (samples prepared, pulled, local; pool
 * refreshes, candidate checks, fallbacks).
 */
final class GridMetrics implements DynamicMetricsProvider
{
    /** Prefix of the member's metrics. */
    static final String PREFIX = "intentgrid";
    /** Prefix of the per-table metrics. */
    static final String TABLE_PREFIX = "intentgrid.table";

    private final Supplier<MemberRuntime> runtime;

    GridMetrics(final Supplier<MemberRuntime> runtime)
    {
        this.runtime = runtime;
    }

    @Override
    public void provideDynamicMetrics(final MetricDescriptor descriptor, final MetricsCollectionContext context)
    {
        final MemberRuntime member = runtime.get();
        if (member == null)
        {
            return;
        }
        final MetricDescriptor root = descriptor.withPrefix(PREFIX);
        access(root, context, member.accessStats());
        sync(root, context, member.stats());
        backups(root, context, member.backupStats());
        count(root, context, "offHeapBytes", ProbeUnit.BYTES, member.offHeapBytes());
        count(root, context, "maxOffHeapBytes", ProbeUnit.BYTES, member.maxOffHeapBytes());
        count(root, context, "machineOffHeapLimit", ProbeUnit.BYTES, member.machineOffHeapLimit());
        count(root, context, "machineAvailableBytes", ProbeUnit.BYTES, member.machineAvailableBytes());
        final Map<String, SamplingCounters> sampling = member.samplingCounters();
        for (final TableStore table : member.liveTables())
        {
            final MetricDescriptor tagged = root.copy().withPrefix(TABLE_PREFIX)
                .withDiscriminator("table", table.spec().name());
            count(tagged, context, "mainCopies", ProbeUnit.COUNT, table.mainCopies());
            count(tagged, context, "replicas", ProbeUnit.COUNT, table.replicas());
            count(tagged, context, "offHeapBytes", ProbeUnit.BYTES, table.offHeapBytes());
            final SamplingCounters counters = sampling.get(table.spec().id());
            if (counters != null)
            {
                sampling(tagged, context, counters.snapshot(null));
            }
        }
    }

    private static void access(final MetricDescriptor root, final MetricsCollectionContext context, final GridStats s)
    {
        count(root, context, "keysPulled", ProbeUnit.COUNT, s.keysPulled());
        count(root, context, "keysPushed", ProbeUnit.COUNT, s.keysPushed());
        count(root, context, "keysSet", ProbeUnit.COUNT, s.keysSet());
        count(root, context, "keysLocalized", ProbeUnit.COUNT, s.keysLocalized());
        count(root, context, "keysLocal", ProbeUnit.COUNT, s.keysLocal());
        count(root, context, "keysFromReplica", ProbeUnit.COUNT, s.keysFromReplica());
        count(root, context, "keysRemote", ProbeUnit.COUNT, s.keysRemote());
        context.collect(root.copy(), "localPercent", ProbeLevel.INFO, ProbeUnit.PERCENT, 100 * s.localShare());
        context.collect(root.copy(), "replicaPercent", ProbeLevel.INFO, ProbeUnit.PERCENT, 100 * s.replicaShare());
        count(root, context, "remoteOps", ProbeUnit.COUNT, s.remoteOps());
        count(root, context, "bytesSent", ProbeUnit.BYTES, s.bytesSent());
        count(root, context, "bytesReceived", ProbeUnit.BYTES, s.bytesReceived());
        count(root, context, "relocationsIn", ProbeUnit.COUNT, s.relocationsIn());
        count(root, context, "relocationsOut", ProbeUnit.COUNT, s.relocationsOut());
        count(root, context, "keysServedForOthers", ProbeUnit.COUNT, s.keysServedForOthers());
    }

    private static void sync(final MetricDescriptor root, final MetricsCollectionContext context, final MemberStats s)
    {
        count(root, context, "syncRounds", ProbeUnit.COUNT, s.rounds());
        count(root, context, "syncMessagesSent", ProbeUnit.COUNT, s.messagesSent());
        count(root, context, "syncKeysSent", ProbeUnit.COUNT, s.keysSent());
        count(root, context, "syncBytesSent", ProbeUnit.BYTES, s.bytesSent());
        count(root, context, "syncMessagesServed", ProbeUnit.COUNT, s.messagesServed());
        count(root, context, "replicateDecisions", ProbeUnit.COUNT, s.replicateDecisions());
        count(root, context, "relocateDecisions", ProbeUnit.COUNT, s.relocateDecisions());
        count(root, context, "syncTrackedKeys", ProbeUnit.COUNT, s.trackedKeys());
        count(root, context, "syncKeysVisited", ProbeUnit.COUNT, s.keysVisited());
        count(root, context, "syncHotLaneKeys", ProbeUnit.COUNT, s.hotLaneKeys());
        count(root, context, "syncHotLanePromotions", ProbeUnit.COUNT, s.hotLanePromotions());
        count(root, context, "syncErrors", ProbeUnit.COUNT, s.syncErrors());
    }

    private static void backups(final MetricDescriptor root, final MetricsCollectionContext context,
        final BackupStats s)
    {
        count(root, context, "backupFlushes", ProbeUnit.COUNT, s.flushes());
        count(root, context, "backupKeysFlushed", ProbeUnit.COUNT, s.keysFlushed());
        count(root, context, "backupBytesFlushed", ProbeUnit.BYTES, s.bytesFlushed());
        count(root, context, "backupFlushFailures", ProbeUnit.COUNT, s.flushFailures());
        count(root, context, "backupFlushGapMillis", ProbeUnit.MS, s.flushGapMillis());
        count(root, context, "backupKeysHeld", ProbeUnit.COUNT, s.backupKeysHeld());
        count(root, context, "backupBytesHeld", ProbeUnit.BYTES, s.backupBytes());
        count(root, context, "recoveries", ProbeUnit.COUNT, s.recoveries());
        count(root, context, "keysRecovered", ProbeUnit.COUNT, s.keysRecovered());
        count(root, context, "claimsRefused", ProbeUnit.COUNT, s.claimsRefused());
        count(root, context, "lastRecoveryMillis", ProbeUnit.MS, s.lastRecoveryMillis());
        count(root, context, "lastBackupAgeMillis", ProbeUnit.MS, s.lastBackupAgeMillis());
        count(root, context, "updatesUnconfirmed", ProbeUnit.COUNT, s.updatesUnconfirmed());
        count(root, context, "updatesResent", ProbeUnit.COUNT, s.updatesResent());
        count(root, context, "updatesKnownApplied", ProbeUnit.COUNT, s.updatesKnownApplied());
        count(root, context, "handedOverUnconfirmed", ProbeUnit.COUNT, s.handedOverUnconfirmed());
    }

    private static void sampling(final MetricDescriptor tagged, final MetricsCollectionContext context,
        final SamplingStats s)
    {
        count(tagged, context, "samplesPrepared", ProbeUnit.COUNT, s.samplesPrepared());
        count(tagged, context, "samplesPulled", ProbeUnit.COUNT, s.samplesPulled());
        count(tagged, context, "samplesLocal", ProbeUnit.COUNT, s.samplesLocal());
        count(tagged, context, "samplingPoolRefreshes", ProbeUnit.COUNT, s.poolRefreshes());
        count(tagged, context, "samplingCandidateChecks", ProbeUnit.COUNT, s.candidateChecks());
        count(tagged, context, "samplingFallbacks", ProbeUnit.COUNT, s.fallbacks());
    }

    private static void count(
        final MetricDescriptor root, final MetricsCollectionContext context, final String name, final ProbeUnit unit,
        final long value)
    {
        context.collect(root.copy(), name, ProbeLevel.INFO, unit, value);
    }
}
