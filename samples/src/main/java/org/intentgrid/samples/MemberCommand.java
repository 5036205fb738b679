package org.intentgrid.samples;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.intentgrid.GridConfig;
import org.intentgrid.ParameterGrid;
import org.intentgrid.samples.train.ForkedMember;
import org.intentgrid.spi.Mode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * A member that trains what a driver sends. With {@code --config FILE}: a member of a long-lived cluster, started by
 * hand on any host from a Hazelcast configuration file (for example {@code config/hazelcast-intentgrid.yaml}); it
 * serves until stopped (Ctrl-C leaves gracefully), and {@code bin/intentgrid <app> --cluster HOST:PORT,...} trains
 * on it. Without: a member JVM of a {@code --fork} run, started by the driver with the driver's settings; it exits
 * when the driver's JVM ends.
 */
@Command(name = "member", mixinStandardHelpOptions = true,
    description = "Start a member for training runs: --config FILE (a Hazelcast YAML or XML file, e.g. " +
        "config/hazelcast-intentgrid.yaml) for a cluster that 'bin/intentgrid <app> --cluster HOST:PORT,...' " +
        "trains on; serves until stopped.")
final class MemberCommand implements Callable<Integer>
{
    @Option(names = "--config", paramLabel = "FILE",
        description = "Hazelcast member configuration (YAML or XML); intentgrid settings are its properties")
    File config;

    @Option(names = "--cluster-name", hidden = true)
    String clusterName;

    @Option(names = "--mode", hidden = true)
    String mode;

    @Option(names = "--base-port", defaultValue = "5701", hidden = true)
    int basePort;

    @Option(names = "--max-rounds-per-second", defaultValue = "" + GridConfig.MAX_ROUNDS_PER_SECOND_DEFAULT,
        hidden = true)
    int maxRoundsPerSecond;

    @Option(names = "--backups", defaultValue = "" + GridConfig.BACKUPS_DEFAULT, hidden = true)
    int backups;

    @Option(names = "--relocation-limit", defaultValue = "" + GridConfig.RELOCATION_LIMIT_DEFAULT, hidden = true)
    int relocationLimit;

    @Option(names = "--jet-threads", defaultValue = "0", hidden = true)
    int jetThreads;

    @Override
    public Integer call() throws InterruptedException, IOException
    {
        if (config != null)
        {
            return serveFromConfig();
        }
        if (clusterName == null || mode == null)
        {
            throw new IllegalArgumentException("member: expected --config FILE (a Hazelcast member configuration " +
                "such as config/hazelcast-intentgrid.yaml)");
        }
        final ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(1).clusterName(clusterName)
            .basePort(basePort).mode(Mode.parse(mode)).maxRoundsPerSecond(maxRoundsPerSecond).backups(backups)
            .relocationLimit(relocationLimit).jet(jetThreads));
        ForkedMember.install(grid, null, null);
        final ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        while (grid.member(0).isRunning() && (parent == null || parent.isAlive()))
        {
            Thread.sleep(200);
        }
        return 0;
    }

    private int serveFromConfig() throws InterruptedException, IOException
    {
        if (!config.isFile())
        {
            throw new IllegalArgumentException("member: --config " + config + " is not a file; expected a " +
                "Hazelcast member configuration (YAML or XML), such as config/hazelcast-intentgrid.yaml");
        }
        final Config hz = Config.loadFromFile(config);
        final HazelcastInstance instance = Hazelcast.newHazelcastInstance(hz);
        final ParameterGrid grid = ParameterGrid.attach(instance, GridConfig.fromProperties(hz.getProperties())
            .clusterName(hz.getClusterName()));
        ForkedMember.install(grid, null, null);
        final com.hazelcast.cluster.Address address = instance.getCluster().getLocalMember().getAddress();
        System.out.println("intentgrid member " + address + " of cluster '" + hz.getClusterName() + "' is up; " +
            "train on it with: bin/intentgrid <app> --cluster " + address.getHost() + ":" + address.getPort() +
            " --cluster-name " + hz.getClusterName() + " --members <members, with the driver>");
        while (grid.member(0).isRunning())
        {
            Thread.sleep(200);
        }
        return 0;
    }
}
