package org.intentgrid;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Hazelcast client gathers every member's report: the numbers each member tells about itself and its share of each
 * table (the shares add up to the table).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemberReportTest
{
    private static final int KEYS = 2_000;
    private static final int LENGTH = 8;
    /** The machine's memory as this JVM reads it (a container's limit inside one). */
    private static final long MACHINE_BYTES = ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();

    private ParameterGrid grid;
    private HazelcastInstance client;

    @AfterEach
    void stop()
    {
        if (client != null)
        {
            client.shutdown();
        }
        grid.close();
    }

    @Test
    void aClientGathersEveryMembersShareOfTheGrid()
    {
        grid = TestGrids.start(2);
        final Table table = grid.table(TableSpec.of("reported", KEYS, LENGTH));
        final Table unused = grid.table(TableSpec.of("reported-unused", KEYS, LENGTH));
        grid.materializeAll(table);
        final long[] keys = new long[KEYS / 4];
        Arrays.setAll(keys, k -> k);
        try (ParameterWorker worker = grid.member(0).worker())
        {
            worker.intent(table, keys, worker.clock(), Long.MAX_VALUE);
            grid.waitSync();
            worker.pull(table, keys, new float[keys.length * LENGTH]).await();
        }
        grid.waitSync();

        client = HazelcastClient.newHazelcastClient(clientOf(grid));

        final List<MemberReport> reports = MemberReport.collect(client, 30_000);
        assertEquals(2, reports.size(), "one report per member");
        long mainCopies = 0;
        for (final MemberReport report : reports)
        {
            final GridMember member = grid.members().stream().filter(m -> m.id().equals(report.id())).findFirst()
                .orElseThrow(() -> new AssertionError("a report of an unknown member: " + report));
            final Address address = member.hazelcast().getCluster().getLocalMember().getAddress();
            assertEquals(address.getHost() + ":" + address.getPort(), report.address());
            assertEquals(member.mode().label(), report.mode());
            assertEquals(member.maxOffHeapBytes(), report.maxOffHeapBytes());
            assertEquals(member.machineOffHeapLimit(), report.machineOffHeapLimit());
            assertTrue(report.machineAvailableBytes() > 0 && report.machineAvailableBytes() <= MACHINE_BYTES,
                "what the machine has available, at most all of it: " + report.machineAvailableBytes());
            assertEquals(member.offHeapBytes(), report.offHeapBytes(), "the member's memory, settled after the sync");
            assertEquals(List.of("reported", "reported-unused"),
                report.tables().stream().map(MemberReport.TableShare::table).toList(), "the member's tables, by name");
            final MemberReport.TableShare share = report.tables().get(0);
            assertEquals(member.mainCopies(table), share.mainCopies());
            assertEquals(member.replicas(table), share.replicas());
            assertEquals(member.offHeapBytes(table), share.offHeapBytes());
            assertEquals(new MemberReport.TableShare("reported-unused", 0, 0, member.offHeapBytes(unused)),
                report.tables().get(1));
            assertEquals(member.stats().keysPulled(), report.access().keysPulled());
            assertEquals(member.syncStats().rounds() > 0, report.sync().rounds() > 0);
            mainCopies += share.mainCopies();
        }
        assertEquals(KEYS, mainCopies, "every key has one main copy, on one of the members");
        assertTrue(reports.stream().anyMatch(r -> r.access().keysPulled() == keys.length),
            "the member whose worker pulled reports its pulls");
    }

    private static ClientConfig clientOf(final ParameterGrid grid)
    {
        final ClientConfig config = new ClientConfig();
        config.setClusterName(grid.member(0).hazelcast().getConfig().getClusterName());
        for (final GridMember member : grid.members())
        {
            final Address address = member.hazelcast().getCluster().getLocalMember().getAddress();
            config.getNetworkConfig().addAddress(address.getHost() + ":" + address.getPort());
        }
        return config;
    }

    @Test
    void aMemberThatLeavesIsLeftOutOfTheReports()
    {
        grid = TestGrids.start(3);
        client = HazelcastClient.newHazelcastClient(clientOf(grid));
        assertEquals(3, MemberReport.collect(client, 30_000).size());
        final GridMember leaving = grid.member(2);
        leaving.leave();
        // the client may still list it: a member gone before it reported is not an error
        final List<MemberReport> reports = MemberReport.collect(client, 30_000);
        assertEquals(2, reports.size(), "the members there are: " + reports);
        assertTrue(reports.stream().noneMatch(r -> r.id().equals(leaving.id())));
    }

    @Test
    void badArgumentsAreRejected()
    {
        grid = TestGrids.start(1);
        final HazelcastInstance member = grid.member(0).hazelcast();
        final IllegalArgumentException noInstance = assertThrows(IllegalArgumentException.class,
            () -> MemberReport.collect(null, 1000));
        assertTrue(noInstance.getMessage().contains("expected a Hazelcast instance"), noInstance.getMessage());
        final IllegalArgumentException noTimeout = assertThrows(IllegalArgumentException.class,
            () -> MemberReport.collect(member, 0));
        assertTrue(noTimeout.getMessage().contains("timeout >= 1 ms"), noTimeout.getMessage());
        assertEquals(1, MemberReport.collect(member, 30_000).size(), "a member gathers the reports too");
    }
}
