package org.intentgrid.dropin;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import org.intentgrid.GridConfig;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import untrusted.WriteMarker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stock Hazelcast member — Hazelcast's own {@code HazelcastMemberStarter}, a classpath of the Hazelcast jar and the
 * drop-in jar only, the example {@code config/hazelcast-intentgrid.yaml} with its cluster name changed — joins an
 * embedded grid, serves the keys whose home it is, and publishes the grid's metrics over remote JMX; the same file
 * with an invalid intentgrid setting keeps the member from starting, naming the setting.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StockMemberIT
{
    private static final String CLUSTER = "intentgrid-stock-it";
    private static final int KEYS = 600;
    private static final int FLOATS = 4;

    private Process process;

    @AfterEach
    void stopFork() throws Exception
    {
        if (process != null && process.isAlive())
        {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aStockMemberWithTheDropInJarAndTheExampleConfigJoinsServesAndPublishesMetrics() throws Exception
    {
        final int jmxPort = freePort();
        process = startStockMember(exampleConfig(), "stock-member.log", jmxPort);
        final GridConfig config = GridConfig.embedded().clusterName(CLUSTER).jet(1);
        try (ParameterGrid grid = ParameterGrid.start(config))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (grid.member(0).hazelcast().getCluster().getMembers().size() < 2 ||
                !grid.member(0).hazelcast().getPartitionService().isClusterSafe())
            {
                assertTrue(process.isAlive(), "the stock member runs (see target/stock-member.log)");
                assertTrue(System.nanoTime() < deadline, "the stock member joined within 90 s");
                Thread.sleep(50);
            }
            final Table table = grid.table(TableSpec.of("stock", KEYS, FLOATS));
            int homedOnStock = 0;
            for (int k = 0; k < KEYS; k++)
            {
                homedOnStock += grid.member(0).isHome(table, k) ? 0 : 1;
            }
            assertTrue(homedOnStock > KEYS / 4, "the stock member is home of some keys: " + homedOnStock);

            final long[] keys = new long[KEYS];
            final float[] ones = new float[KEYS * FLOATS];
            for (int k = 0; k < KEYS; k++)
            {
                keys[k] = k;
            }
            Arrays.fill(ones, 1f);
            final float[] before = new float[KEYS * FLOATS];
            final float[] after = new float[KEYS * FLOATS];
            try (ParameterWorker worker = grid.member(0).worker())
            {
                worker.pull(table, keys, before).await();
                worker.push(table, keys, ones).await();
                worker.pull(table, keys, after).await();
            }
            for (int i = 0; i < before.length; i++)
            {
                before[i] += 1f;
            }
            assertArrayEquals(before, after, "every key pushed once, wherever it lives");
            assertEquals(KEYS - homedOnStock, grid.member(0).mainCopies(table),
                "the embedded member holds only its home keys: the stock member served the others");

            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(
                "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi")))
            {
                final MBeanServerConnection server = jmx.getMBeanServerConnection();
                final ObjectName member = awaitMetric(server, "prefix=intentgrid", "keysServedForOthers",
                    3L * homedOnStock);
                assertTrue(((Number)server.getAttribute(member, "offHeapBytes")).longValue() > 0);
                awaitMetric(server, "prefix=intentgrid.table,tag0=\"table=stock\"", "mainCopies", homedOnStock);
            }
        }
    }

    @Test
    void aStockMemberWithAnInvalidSettingInTheExampleConfigDoesNotStart() throws Exception
    {
        final String yaml = exampleConfig().replace("# intentgrid.channels: 1", "intentgrid.channels: 0");
        process = startStockMember(yaml, "stock-member-bad.log", freePort());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the member gave up starting");
        assertNotEquals(0, process.exitValue(), "start failed");
        final String log = Files.readString(Paths.get("target", "stock-member-bad.log"));
        assertTrue(log.contains("property intentgrid.channels=0 is invalid") && log.contains("must be in 1.."),
            "the log names the property, its value and the valid range:\n" + log);
    }

    /**
     * The example configuration's guards: a member configured with another cluster name does not join, the member
     * listens on 127.0.0.1 only, and its Java serialization filter refuses a task class outside the allowed packages
     * (it never runs) while a task of an allowed package runs. The stock member has this module's test classes on
     * its classpath here, so that only the filter stands between the refused class and its execution.
     */
    @Test
    void theExampleConfigKeepsOutOtherClustersListensOnItsInterfaceAndFiltersSerializedClasses(
        @TempDir final Path dir) throws Exception
    {
        process = startStockMember(exampleConfig(), "stock-member-guarded.log", freePort(), "target/test-classes");
        try (ParameterGrid stranger = ParameterGrid.start(GridConfig.embedded().clusterName("another-cluster").jet(1)))
        {
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (System.nanoTime() < until)
            {
                assertEquals(1, stranger.member(0).hazelcast().getCluster().getMembers().size(),
                    "a member with another cluster name stays alone");
                Thread.sleep(200);
            }
        }
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().clusterName(CLUSTER).jet(1)))
        {
            final HazelcastInstance hz = grid.member(0).hazelcast();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (hz.getCluster().getMembers().size() < 2)
            {
                assertTrue(System.nanoTime() < deadline, "the stock member joined within 90 s");
                Thread.sleep(50);
            }
            final Member stock = hz.getCluster().getMembers().stream().filter(m -> !m.localMember()).findFirst()
                .orElseThrow();
            for (final Member member : hz.getCluster().getMembers())
            {
                assertEquals(List.of("127.0.0.1"), listeningAddresses(member.getAddress().getPort()),
                    "member " + member.getAddress() + " listens on 127.0.0.1 only");
            }

            final IExecutorService executor = hz.getExecutorService("guard-test");
            final Path refused = dir.resolve("refused");
            final ExecutionException error = assertThrows(ExecutionException.class, () -> executor
                .submitToMember(new WriteMarker(refused.toString()), stock).get(30, TimeUnit.SECONDS));
            assertTrue(error.getCause().toString().contains("untrusted.WriteMarker is not allowed"),
                "refused by the serialization filter: " + error.getCause());
            final Path allowed = dir.resolve("allowed");
            assertEquals("ran", executor.submitToMember(new AllowedMarker(allowed.toString()), stock)
                .get(30, TimeUnit.SECONDS));
            assertTrue(Files.exists(allowed), "the allowed task ran on the stock member");
            assertFalse(Files.exists(refused), "the refused task never ran");
        }
    }

    /**
     * @return the local addresses of the sockets listening on {@code port} (from the kernel's tables: Linux), as
     *         dotted IPv4 or {@code "::"}-style IPv6 strings
     */
    private static List<String> listeningAddresses(final int port) throws IOException
    {
        final List<String> addresses = new ArrayList<>();
        for (final String table : List.of("/proc/net/tcp", "/proc/net/tcp6"))
        {
            final Path file = Paths.get(table);
            if (!Files.exists(file))
            {
                continue;
            }
            for (final String line : Files.readAllLines(file))
            {
                final String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !"0A".equals(f[3]) || !f[1].contains(":"))
                {
                    continue;
                }
                final String[] local = f[1].split(":");
                if (Integer.parseInt(local[1], 16) == port)
                {
                    addresses.add(address(local[0]));
                }
            }
        }
        assertFalse(addresses.isEmpty(), "something listens on port " + port);
        return addresses;
    }

    /** @return the address of a {@code /proc/net/tcp} hex field (IPv4: 4 little-endian bytes; IPv6 otherwise) */
    private static String address(final String hex)
    {
        if (hex.length() != 8)
        {
            return hex.chars().allMatch(c -> c == '0') ? "::" : hex;
        }
        final StringBuilder dotted = new StringBuilder();
        for (int b = 3; b >= 0; b--)
        {
            dotted.append(Integer.parseInt(hex.substring(2 * b, 2 * b + 2), 16)).append(b > 0 ? "." : "");
        }
        return dotted.toString();
    }

    /** @return the example member configuration with this test's cluster name */
    private static String exampleConfig() throws IOException
    {
        final String yaml = Files.readString(Paths.get("..", "config", "hazelcast-intentgrid.yaml"));
        assertTrue(yaml.contains("cluster-name: intentgrid\n"), "the example names its cluster");
        return yaml.replace("cluster-name: intentgrid\n", "cluster-name: " + CLUSTER + "\n");
    }

    private static Process startStockMember(final String yaml, final String log, final int jmxPort,
        final String... extraClasspath) throws IOException
    {
        final Path target = Paths.get("target").toAbsolutePath();
        final Path config = target.resolve(log.replace(".log", ".yaml"));
        Files.writeString(config, yaml, StandardCharsets.UTF_8);
        final List<String> command = new ArrayList<>(List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m", "-Djava.net.preferIPv4Stack=true",
            "-Dhazelcast.config=" + config,
            "-Dcom.sun.management.jmxremote.port=" + jmxPort,
            "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
            "-Dcom.sun.management.jmxremote.host=127.0.0.1",
            "-Djava.rmi.server.hostname=127.0.0.1",
            "-Dcom.sun.management.jmxremote.authenticate=false",
            "-Dcom.sun.management.jmxremote.ssl=false",
            "-cp", classpath(target, extraClasspath),
            "com.hazelcast.core.server.HazelcastMemberStarter"));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(target.resolve(log).toFile());
        return builder.start();
    }

    private static String classpath(final Path target, final String... extra) throws IOException
    {
        final List<String> entries = new ArrayList<>(List.of(dropInJar(target), hazelcastJar()));
        entries.addAll(List.of(extra));
        return String.join(File.pathSeparator, entries);
    }

    private static String dropInJar(final Path target) throws IOException
    {
        try (Stream<Path> files = Files.list(target))
        {
            return files.map(Path::toString).filter(p -> p.matches(".*/intentgrid-hazelcast-[^/]*\\.jar") &&
                !p.contains("tests")).findFirst()
                .orElseThrow(() -> new AssertionError("run after 'mvn package': no drop-in jar in " + target));
        }
    }

    private static String hazelcastJar()
    {
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            if (Paths.get(entry).getFileName().toString().matches("hazelcast-[0-9.]+\\.jar"))
            {
                return entry;
            }
        }
        throw new AssertionError("no Hazelcast jar on the test classpath");
    }

    /** @return a free port for JMX outside the members' range (5701 and the 500 after it, where members look) */
    private static int freePort() throws IOException
    {
        while (true)
        {
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
            {
                final int port = socket.getLocalPort();
                if (port < 5701 || port > 6201)
                {
                    return port;
                }
            }
        }
    }

    /**
     * @return the intentgrid metrics MBean matching {@code keys} once its attribute {@code name} reached at least
     *         {@code atLeast} (metrics are published at the collection interval, 5 s in the example)
     */
    private static ObjectName awaitMetric(
        final MBeanServerConnection server, final String keys, final String name, final long atLeast)
        throws Exception
    {
        final ObjectName pattern = new ObjectName("com.hazelcast:type=Metrics," + keys + ",*");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long last = -1;
        while (true)
        {
            final Set<ObjectName> found = server.queryNames(pattern, null);
            for (final ObjectName candidate : found)
            {
                if (candidate.getKeyProperty("prefix").equals(pattern.getKeyProperty("prefix")))
                {
                    last = ((Number)server.getAttribute(candidate, name)).longValue();
                    if (last >= atLeast)
                    {
                        return candidate;
                    }
                }
            }
            assertTrue(System.nanoTime() < deadline, name + " of " + pattern + " reached " + atLeast +
                " within 60 s over JMX (last " + last + ", MBeans " + found + ")");
            Thread.sleep(200);
        }
    }
}
