package org.intentgrid.samples;

import org.intentgrid.GridConfig;
import org.intentgrid.ParameterGrid;
import org.intentgrid.samples.train.ForkedMember;
import org.intentgrid.spi.Mode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * A member JVM of a {@code --fork} run (started by the driver, not by hand): joins the driver's cluster on
 * 127.0.0.1, trains what the driver sends, and exits when the driver's JVM ends or its member shuts down.
 */
@Command(name = "member", hidden = true, description = "A member JVM of a --fork training run (started by the driver).")
final class MemberCommand implements Callable<Integer>
{
    @Option(names = "--cluster-name", required = true)
    String clusterName;

    @Option(names = "--mode", required = true)
    String mode;

    @Option(names = "--base-port", defaultValue = "5701")
    int basePort;

    @Option(names = "--max-rounds-per-second", defaultValue = "" + GridConfig.MAX_ROUNDS_PER_SECOND_DEFAULT)
    int maxRoundsPerSecond;

    @Option(names = "--backups", defaultValue = "" + GridConfig.BACKUPS_DEFAULT)
    int backups;

    @Option(names = "--jet-threads", defaultValue = "0")
    int jetThreads;

    @Override
    public Integer call() throws InterruptedException
    {
        final ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(1).clusterName(clusterName)
            .basePort(basePort).mode(Mode.parse(mode)).maxRoundsPerSecond(maxRoundsPerSecond).backups(backups)
            .jet(jetThreads));
        ForkedMember.install(grid, null);
        final ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        while (grid.member(0).isRunning() && (parent == null || parent.isAlive()))
        {
            Thread.sleep(200);
        }
        return 0;
    }
}
