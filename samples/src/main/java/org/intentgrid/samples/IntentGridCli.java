package org.intentgrid.samples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.logging.Level;
import java.util.logging.Logger;

/** The launcher behind {@code bin/intentgrid}. */
@Command(name = "intentgrid", mixinStandardHelpOptions = true, version = "intentgrid 0.1.0",
    description = "Adaptive parameter management on Hazelcast: training apps, demo, tour, cluster stats and " +
        "benchmarks.",
    subcommands = {DemoCommand.class, org.intentgrid.samples.kge.KgeCommand.class,
        org.intentgrid.samples.mf.MfCommand.class,
        org.intentgrid.samples.w2v.W2vCommand.class, MemberCommand.class, StatsCommand.class,
        TourCommand.class, StreamCommand.class, BenchCommand.class})
public final class IntentGridCli implements Runnable
{
    /** JUL holds loggers weakly: a level set on an unreferenced logger can be lost, so these are kept. */
    private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");
    private static final Logger HAZELCAST_TCP = Logger.getLogger("com.hazelcast.internal.server.tcp");
    private static final Logger HAZELCAST_CLUSTER = Logger.getLogger("com.hazelcast.internal.cluster");
    private static final Logger HAZELCAST_RESPONSES =
        Logger.getLogger("com.hazelcast.spi.impl.operationservice.impl.OutboundResponseHandler");
    /** The stats command's client warns at every failed connection attempt; the command's own error says it once. */
    private static final Logger HAZELCAST_CLIENT_CONNECTIONS =
        Logger.getLogger("com.hazelcast.client.impl.connection");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        quietHazelcast();
        final int exit = configure(new CommandLine(new IntentGridCli())).execute(args);
        System.exit(exit);
    }

    /**
     * Hazelcast logs every membership step at INFO, and members that stay behind warn about the connection to
     * a member that just left gracefully; the launcher's users want our output and real problems.
     */
    static void quietHazelcast()
    {
        if (System.getProperty("hazelcast.logging.level") == null)
        {
            HAZELCAST.setLevel(Level.WARNING);
            HAZELCAST_TCP.setLevel(Level.SEVERE);
            HAZELCAST_CLUSTER.setLevel(Level.SEVERE);
            HAZELCAST_RESPONSES.setLevel(Level.SEVERE);
            HAZELCAST_CLIENT_CONNECTIONS.setLevel(Level.SEVERE);
        }
    }

    /**
     * Bad options and malformed input end with one clear line and exit code 2, not a stack trace; other failures
     * keep theirs.
     */
    static CommandLine configure(final CommandLine commandLine)
    {
        return commandLine.setExecutionExceptionHandler((e, cmd, parsed) ->
        {
            if (e instanceof IllegalArgumentException)
            {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            throw e;
        });
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
