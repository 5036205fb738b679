package org.intentgrid.samples;

import picocli.CommandLine.Command;

/** {@code bin/intentgrid stream}: training jobs on Hazelcast Jet that read a stream. */
@Command(name = "stream", mixinStandardHelpOptions = true,
    description = "Streaming training with Hazelcast Jet: look-ahead intents on the items of a stream.",
    subcommands = {org.intentgrid.samples.kge.KgeStreamCommand.class,
        org.intentgrid.samples.mf.MfStreamCommand.class})
final class StreamCommand implements Runnable
{
    @Override
    public void run()
    {
        new picocli.CommandLine(this).usage(System.out);
    }
}
