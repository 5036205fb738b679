package org.intentgrid.samples;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import org.intentgrid.MemberReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/intentgrid stats}: a running cluster's grid as its members report it ({@link MemberReport}), read
 * through a Hazelcast client, so it adds no member and moves no partition. One table of members (memory, accesses
 * and their local share, traffic, sync rounds, backups) and one of tables (each member's main copies, replicas and
 * memory, and their totals); once, or every {@code --watch} seconds until stopped, each screen after the first with
 * what every member did since the one before, per second.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Show a running cluster's grid: per member memory, local share, traffic, sync and backups; per " +
        "table main copies, replicas and memory on each member.")
final class StatsCommand implements Callable<Integer>
{
    private static final double MB = 1024.0 * 1024.0;

    @Option(names = "--cluster", split = ",", paramLabel = "HOST:PORT", required = true,
        description = "addresses of one or more members of the cluster")
    List<String> cluster;

    @Option(names = "--cluster-name", defaultValue = "intentgrid",
        description = "the cluster's name (default ${DEFAULT-VALUE}, as in the example config)")
    String clusterName;

    @Option(names = "--watch", paramLabel = "SECONDS", defaultValue = "0",
        description = "show the stats again every SECONDS seconds until stopped (default: once)")
    int watchSeconds;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
        description = "with --watch: stop after N screens (default: until stopped)")
    int count;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
        description = "how long to wait for the cluster and for its members' reports (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the (last) reports to FILE as JSON")
    File json;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() throws InterruptedException
    {
        if (watchSeconds < 0 || count < 0 || timeoutSeconds < 1)
        {
            throw new IllegalArgumentException("expected --watch >= 0, --count >= 0 and --timeout >= 1, got " +
                watchSeconds + ", " + count + " and " + timeoutSeconds);
        }
        final HazelcastInstance client = connect();
        try
        {
            Map<UUID, MemberReport> previous = Map.of();
            long previousNanos = 0;
            for (int screen = 1; ; screen++)
            {
                final List<MemberReport> reports;
                try
                {
                    reports = MemberReport.collect(client, TimeUnit.SECONDS.toMillis(timeoutSeconds));
                }
                catch (final IllegalStateException e)
                {
                    // a member without the plugin, or one that left meanwhile: say so; a watch tries again
                    err.println("error: " + e.getMessage());
                    err.flush();
                    if (watchSeconds == 0 || screen == count)
                    {
                        return 1;
                    }
                    Thread.sleep(TimeUnit.SECONDS.toMillis(watchSeconds));
                    continue;
                }
                final long now = System.nanoTime();
                print(reports);
                if (!previous.isEmpty())
                {
                    printRates(reports, previous, (now - previousNanos) / 1e9);
                }
                previous = new HashMap<>();
                for (final MemberReport report : reports)
                {
                    previous.put(report.id(), report);
                }
                previousNanos = now;
                if (json != null)
                {
                    Json.write(json, toJson(reports));
                }
                if (watchSeconds == 0 || screen == count)
                {
                    return 0;
                }
                Thread.sleep(TimeUnit.SECONDS.toMillis(watchSeconds));
            }
        }
        finally
        {
            client.shutdown();
        }
    }

    private HazelcastInstance connect()
    {
        final ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.getNetworkConfig().setAddresses(cluster);
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
            .setClusterConnectTimeoutMillis(TimeUnit.SECONDS.toMillis(timeoutSeconds));
        try
        {
            return HazelcastClient.newHazelcastClient(config);
        }
        catch (final IllegalStateException e)
        {
            throw new IllegalArgumentException("no member of cluster '" + clusterName + "' answered at " +
                String.join(",", cluster) + " within " + timeoutSeconds + " s; check --cluster and --cluster-name", e);
        }
    }

    private void print(final List<MemberReport> reports)
    {
        out.printf("cluster '%s', %s: %d member(s)%n", clusterName, Instant.now().truncatedTo(ChronoUnit.SECONDS),
            reports.size());
        out.printf("%-21s %-16s %10s %10s %10s %12s %14s %7s %11s %10s %10s %11s %8s %10s%n", "member", "mode",
            "off-heap", "cap", "JVM limit", "machine free", "keys accessed", "local", "remote ops", "sent", "received",
            "sync rounds", "tracked", "backups");
        for (final MemberReport r : reports)
        {
            out.printf("%-21s %-16s %10s %10s %10s %12s %,14d %6.1f%% %,11d %10s %10s %,11d %,8d %10s%n",
                r.address(), r.mode(), megabytes(r.offHeapBytes()), r.maxOffHeapBytes() == Long.MAX_VALUE ? "none" :
                megabytes(r.maxOffHeapBytes()), r.machineOffHeapLimit() == Long.MAX_VALUE ? "unknown" :
                megabytes(r.machineOffHeapLimit()), r.machineAvailableBytes() == Long.MAX_VALUE ? "unknown" :
                megabytes(r.machineAvailableBytes()), r.access().keysAccessed(), 100 * r.access().localShare(),
                r.access().remoteOps(), megabytes(r.access().bytesSent()), megabytes(r.access().bytesReceived()),
                r.sync().rounds(), r.sync().trackedKeys(), megabytes(r.backups().backupBytes()));
        }
        final Map<String, long[]> totals = new TreeMap<>();
        out.printf("%n%-30s %-21s %13s %10s %10s%n", "table", "member", "main copies", "replicas", "off-heap");
        for (final MemberReport r : reports)
        {
            for (final MemberReport.TableShare share : r.tables())
            {
                out.printf("%-30s %-21s %,13d %,10d %10s%n", share.table(), r.address(), share.mainCopies(),
                    share.replicas(), megabytes(share.offHeapBytes()));
                final long[] total = totals.computeIfAbsent(share.table(), t -> new long[3]);
                total[0] += share.mainCopies();
                total[1] += share.replicas();
                total[2] += share.offHeapBytes();
            }
        }
        totals.forEach((table, total) -> out.printf("%-30s %-21s %,13d %,10d %10s%n", table, "(all members)",
            total[0], total[1], megabytes(total[2])));
        out.println();
        out.flush();
    }

    /** With --watch: what each member did since the previous screen, per second. */
    private void printRates(final List<MemberReport> reports, final Map<UUID, MemberReport> previous,
        final double seconds)
    {
        out.printf("since the previous screen (%.1f s), per second:%n", seconds);
        out.printf("%-21s %14s %7s %10s %10s %11s%n", "member", "keys accessed", "local", "sent", "received",
            "sync rounds");
        for (final MemberReport r : reports)
        {
            final MemberReport before = previous.get(r.id());
            if (before == null)
            {
                out.printf("%-21s (joined since)%n", r.address());
                continue;
            }
            final long accessed = r.access().keysAccessed() - before.access().keysAccessed();
            final long local = r.access().keysLocal() - before.access().keysLocal();
            out.printf("%-21s %,14.0f %6.1f%% %10s %10s %,11.0f%n", r.address(), accessed / seconds,
                accessed == 0 ? 100.0 : 100.0 * local / accessed,
                megabytes(Math.round((r.access().bytesSent() - before.access().bytesSent()) / seconds)),
                megabytes(Math.round((r.access().bytesReceived() - before.access().bytesReceived()) / seconds)),
                (r.sync().rounds() - before.sync().rounds()) / seconds);
        }
        out.println();
        out.flush();
    }

    private static String megabytes(final long bytes)
    {
        return String.format("%.1f MB", bytes / MB);
    }

    private static List<Map<String, Object>> toJson(final List<MemberReport> reports)
    {
        final List<Map<String, Object>> members = new ArrayList<>();
        for (final MemberReport r : reports)
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", r.address());
            m.put("id", r.id().toString());
            m.put("mode", r.mode());
            m.put("off_heap_bytes", r.offHeapBytes());
            m.put("max_off_heap_bytes", r.maxOffHeapBytes() == Long.MAX_VALUE ? null : r.maxOffHeapBytes());
            m.put("jvm_off_heap_limit_bytes", r.machineOffHeapLimit() == Long.MAX_VALUE ? null :
                r.machineOffHeapLimit());
            m.put("machine_available_bytes", r.machineAvailableBytes() == Long.MAX_VALUE ? null :
                r.machineAvailableBytes());
            m.put("keys_accessed", r.access().keysAccessed());
            m.put("local_share", r.access().localShare());
            m.put("remote_ops", r.access().remoteOps());
            m.put("bytes_sent", r.access().bytesSent());
            m.put("bytes_received", r.access().bytesReceived());
            m.put("relocations_in", r.access().relocationsIn());
            m.put("relocations_out", r.access().relocationsOut());
            m.put("sync_rounds", r.sync().rounds());
            m.put("sync_keys_sent", r.sync().keysSent());
            m.put("sync_tracked_keys", r.sync().trackedKeys());
            m.put("backup_keys_held", r.backups().backupKeysHeld());
            m.put("backup_bytes", r.backups().backupBytes());
            m.put("recoveries", r.backups().recoveries());
            final List<Map<String, Object>> tables = new ArrayList<>();
            for (final MemberReport.TableShare share : r.tables())
            {
                final Map<String, Object> t = new LinkedHashMap<>();
                t.put("table", share.table());
                t.put("main_copies", share.mainCopies());
                t.put("replicas", share.replicas());
                t.put("off_heap_bytes", share.offHeapBytes());
                tables.add(t);
            }
            m.put("tables", tables);
            members.add(m);
        }
        return members;
    }
}
