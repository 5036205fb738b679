package org.intentgrid.cluster;

import com.github.dockerjava.api.DockerClient;
import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.intentgrid.GridConfig;
import org.intentgrid.ParameterGrid;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of stock Hazelcast members, each in its own container from the locally built image
 * ({@code cluster-tests/image/build-member-image.sh}), running {@code HazelcastMemberStarter} with a YAML member
 * config and only the plugin's jars (grid-plugin, intent-service, Agrona) next to Hazelcast's on its classpath; plus
 * an embedded driver member in the test JVM whose workers train against them. Every container uses the host's
 * network and binds 127.0.0.1 on its own port, so all traffic stays on loopback.
 * <p>
 * Members are numbered from 0; member {@code i} listens on {@code basePort + 1 + i}, the driver on {@code basePort}.
 * {@link #kill} sends SIGKILL from outside, {@link #pause} freezes every process of the container (the freezer
 * cgroup: alive but unresponsive, like a long GC pause or a hung host), {@link #leave} stops a member gracefully
 * (SIGTERM: Hazelcast's shutdown hook, with policy GRACEFUL, lets the grid hand its main copies off). Each member's
 * log is written to {@code target/cluster-logs/} when its container goes away; {@link #close} removes every
 * container this harness started.
 */
final class MemberContainers implements AutoCloseable
{
    static final String IMAGE = System.getenv().getOrDefault("INTENTGRID_MEMBER_IMAGE",
        "intentgrid-member-base:bookworm-jre17");
    /** Set by {@code .ci/run}: without an engine or image the suite fails instead of being skipped. */
    static final String REQUIRE_ENV = "INTENTGRID_REQUIRE_DOCKER";
    private static final String LABEL = "org.intentgrid.cluster-test";
    private static final int HEARTBEAT_SECONDS = 1;
    /**
     * Seconds without a heartbeat after which Hazelcast removes a member (Hazelcast's default is 60). At 8 s, one CI
     * run on 2 cores lost a second member to a false suspicion while the first was frozen: the master's heartbeats
     * stalled about 10 s behind a partition promotion, and the cluster split in two.
     */
    static final int NO_HEARTBEAT_SECONDS = 15;
    private static final String[] PLUGIN_JARS = {"grid-plugin-", "intent-service-", "agrona-", "hazelcast-"};

    private final String clusterName;
    private final int basePort;
    private final int maxMembers;
    private final Map<String, String> properties;
    private final Path logs;
    private final List<String> classpath = new ArrayList<>();
    private final Map<Integer, GenericContainer<?>> members = new TreeMap<>();
    private final Map<Integer, Integer> starts = new LinkedHashMap<>();
    private HazelcastInstance driver;

    /**
     * @param maxMembers most containers at once (their ports are reserved for the join list)
     * @param properties {@code intentgrid.*} and Hazelcast properties of every member
     */
    MemberContainers(final String clusterName, final int basePort, final int maxMembers,
        final Map<String, String> properties)
    {
        this.clusterName = clusterName;
        this.basePort = basePort;
        this.maxMembers = maxMembers;
        this.properties = properties;
        this.logs = Paths.get("target", "cluster-logs", clusterName).toAbsolutePath();
        removeLeftovers();
    }

    /** Skips the calling test (or fails it, under {@code .ci/run}) unless an engine answers and the image exists. */
    static void requireEngineAndImage()
    {
        final boolean required = "true".equals(System.getenv(REQUIRE_ENV));
        final String missing;
        if (!DockerClientFactory.instance().isDockerAvailable())
        {
            missing = "no Docker engine answers (start one: dockerd --bridge=none --iptables=false)";
        }
        else if (DockerClientFactory.instance().client().listImagesCmd().withImageNameFilter(IMAGE).exec().isEmpty())
        {
            missing = "image " + IMAGE + " is missing (build it: cluster-tests/image/build-member-image.sh)";
        }
        else
        {
            missing = null;
        }
        if (missing != null && required)
        {
            throw new AssertionError("the container suite cannot run: " + missing);
        }
        Assumptions.assumeTrue(missing == null, () -> "container suite skipped: " + missing);
    }

    private static void removeLeftovers()
    {
        final DockerClient client = DockerClientFactory.instance().client();
        client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "true")).exec()
            .forEach(c -> client.removeContainerCmd(c.getId()).withForce(true).exec());
    }

    /** @return the driver's and every member's address (Hazelcast's interface matching takes no port ranges) */
    private List<String> memberList()
    {
        final List<String> addresses = new ArrayList<>();
        for (int port = basePort; port <= basePort + maxMembers; port++)
        {
            addresses.add("127.0.0.1:" + port);
        }
        return addresses;
    }

    /** Starts member {@code index} in a new container and waits until Hazelcast reports it started. */
    void start(final int index) throws IOException
    {
        if (members.containsKey(index))
        {
            throw new IllegalStateException("member " + index + " is running");
        }
        if (classpath.isEmpty())
        {
            mountPlugin();
        }
        Files.createDirectories(logs);
        final Path config = logs.resolve("member-" + index + ".yaml");
        Files.writeString(config, memberYaml(basePort + 1 + index), StandardCharsets.UTF_8);
        final GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
            .withNetworkMode("host")
            .withLabel(LABEL, "true")
            .withFileSystemBind(config.toString(), "/opt/member/hazelcast.yaml", BindMode.READ_ONLY)
            .withCommand(command())
            .waitingFor(Wait.forLogMessage(".*is STARTED.*", 1).withStartupTimeout(Duration.ofSeconds(120)));
        for (int i = 0; i < classpath.size(); i++)
        {
            container.withFileSystemBind(classpath.get(i), "/opt/member/lib/" + i + "-" +
                Paths.get(classpath.get(i)).getFileName(), BindMode.READ_ONLY);
        }
        container.start();
        members.put(index, container);
        starts.merge(index, 1, Integer::sum);
    }

    private void mountPlugin()
    {
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            final String name = Paths.get(entry).getFileName().toString();
            for (final String prefix : PLUGIN_JARS)
            {
                if (name.startsWith(prefix) && !name.contains("tests"))
                {
                    classpath.add(entry);
                }
            }
        }
        if (classpath.size() != PLUGIN_JARS.length)
        {
            throw new IllegalStateException("expected the jars " + List.of(PLUGIN_JARS) + " on the test classpath; " +
                "found " + classpath);
        }
    }

    private String[] command()
    {
        final List<String> mounted = new ArrayList<>();
        for (int i = 0; i < classpath.size(); i++)
        {
            mounted.add("/opt/member/lib/" + i + "-" + Paths.get(classpath.get(i)).getFileName());
        }
        return new String[] {"java", "-Xmx384m", "-Djava.net.preferIPv4Stack=true",
            "-Dhazelcast.config=/opt/member/hazelcast.yaml", "-cp", String.join(":", mounted),
            "com.hazelcast.core.server.HazelcastMemberStarter"};
    }

    private String memberYaml(final int port)
    {
        final StringBuilder yaml = new StringBuilder()
            .append("hazelcast:\n")
            .append("  cluster-name: ").append(clusterName).append('\n')
            .append("  jet:\n    enabled: false\n")
            .append("  properties:\n");
        for (final Map.Entry<String, String> property : memberProperties().entrySet())
        {
            yaml.append("    ").append(property.getKey()).append(": \"").append(property.getValue()).append("\"\n");
        }
        return yaml
            .append("  network:\n")
            .append("    port:\n      port: ").append(port).append("\n      auto-increment: false\n")
            .append("    interfaces:\n      enabled: true\n      interfaces:\n        - 127.0.0.1\n")
            .append("    join:\n")
            .append("      multicast:\n        enabled: false\n")
            .append("      auto-detection:\n        enabled: false\n")
            .append("      tcp-ip:\n        enabled: true\n        member-list:\n          - ")
            .append(String.join("\n          - ", memberList()))
            .append('\n')
            .toString();
    }

    private Map<String, String> memberProperties()
    {
        final Map<String, String> all = new LinkedHashMap<>();
        all.put("hazelcast.phone.home.enabled", "false");
        all.put("hazelcast.shutdownhook.policy", "GRACEFUL");
        all.put("hazelcast.graceful.shutdown.max.wait", "90");
        all.put("hazelcast.heartbeat.interval.seconds", String.valueOf(HEARTBEAT_SECONDS));
        all.put("hazelcast.max.no.heartbeat.seconds", String.valueOf(NO_HEARTBEAT_SECONDS));
        all.put("hazelcast.merge.first.run.delay.seconds", "5");
        all.put("hazelcast.merge.next.run.delay.seconds", "5");
        all.put("hazelcast.partition.operation.thread.count", "2");
        all.put("hazelcast.operation.generic.thread.count", "2");
        all.put("hazelcast.io.thread.count", "1");
        all.putAll(properties);
        return all;
    }

    /** @return the driver: an embedded member of the same cluster in the test JVM, attached as a grid */
    ParameterGrid startDriver(final GridConfig gridConfig)
    {
        final Config config = ParameterGrid.hazelcastConfig(gridConfig.clusterName(clusterName));
        memberProperties().forEach(config::setProperty);
        final NetworkConfig network = config.getNetworkConfig();
        network.setPort(basePort).setPortAutoIncrement(false);
        network.getJoin().getTcpIpConfig().clear().setEnabled(true).setMembers(memberList());
        driver = Hazelcast.newHazelcastInstance(config);
        return ParameterGrid.attach(driver, gridConfig);
    }

    /** Waits until the driver sees {@code size} members and every partition has its owner and backups in place. */
    void awaitCluster(final int size, final long timeoutSeconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (driver.getCluster().getMembers().size() != size || !driver.getPartitionService().isClusterSafe())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("the cluster did not settle at " + size + " members within " +
                    timeoutSeconds + " s; the driver sees " + driver.getCluster().getMembers());
            }
            Thread.sleep(100);
        }
    }

    /** Sends SIGKILL to every process of member {@code index}'s container. */
    void kill(final int index)
    {
        DockerClientFactory.instance().client().killContainerCmd(container(index).getContainerId())
            .withSignal("KILL").exec();
        removeAfterLog(index);
    }

    /** Freezes member {@code index}: its processes stay alive but get no CPU until {@link #unpause}. */
    void pause(final int index)
    {
        DockerClientFactory.instance().client().pauseContainerCmd(container(index).getContainerId()).exec();
    }

    void unpause(final int index)
    {
        DockerClientFactory.instance().client().unpauseContainerCmd(container(index).getContainerId()).exec();
    }

    /** Stops member {@code index} gracefully (SIGTERM, up to 120 s for its hand-off) and removes its container. */
    void leave(final int index)
    {
        DockerClientFactory.instance().client().stopContainerCmd(container(index).getContainerId())
            .withTimeout(120).exec();
        removeAfterLog(index);
    }

    /** Stops member {@code index} gracefully and starts it again in a new container on the same port. */
    void restart(final int index) throws IOException
    {
        leave(index);
        start(index);
    }

    /** @return member {@code index}'s log so far */
    String log(final int index)
    {
        return container(index).getLogs();
    }

    private GenericContainer<?> container(final int index)
    {
        final GenericContainer<?> container = members.get(index);
        if (container == null)
        {
            throw new IllegalStateException("member " + index + " is not running");
        }
        return container;
    }

    private void removeAfterLog(final int index)
    {
        final GenericContainer<?> container = members.remove(index);
        try
        {
            Files.createDirectories(logs);
            Files.writeString(logs.resolve("member-" + index + "-run-" + starts.get(index) + ".log"),
                container.getLogs(), StandardCharsets.UTF_8);
        }
        catch (final IOException | RuntimeException e)
        {
            System.err.println("could not save the log of member " + index + ": " + e);
        }
        container.stop();
    }

    @Override
    public void close()
    {
        for (final Integer index : new ArrayList<>(members.keySet()))
        {
            final GenericContainer<?> container = members.get(index);
            if (container.isRunning() && container.getDockerClient().inspectContainerCmd(container.getContainerId())
                .exec().getState().getPaused())
            {
                unpause(index);
            }
            removeAfterLog(index);
        }
        if (driver != null)
        {
            driver.getLifecycleService().terminate();
        }
        removeLeftovers();
    }
}
