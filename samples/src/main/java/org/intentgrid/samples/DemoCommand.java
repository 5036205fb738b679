package org.intentgrid.samples;

import org.intentgrid.samples.kge.KgeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The default demo: knowledge graph embeddings on a generated graph, 2 embedded members, about a minute on
 * 2 cores. Further {@code kge} options are passed through (for example {@code --mode static} or {@code --epochs 5}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Train knowledge graph embeddings on a generated graph with 2 embedded members (about a minute); " +
        "takes any kge option, e.g. --mode static.")
final class DemoCommand implements Callable<Integer>
{
    static final String[] DEFAULTS = {"--members", "2", "--threads", "1", "--epochs", "20", "--json",
        "results/demo.json"};

    @Unmatched
    List<String> kgeOptions = new ArrayList<>();

    @Override
    public Integer call()
    {
        final List<String> args = new ArrayList<>(List.of(DEFAULTS));
        args.addAll(kgeOptions);
        return IntentGridCli.configure(new CommandLine(new KgeCommand())).setOverwrittenOptionsAllowed(true)
            .execute(args.toArray(new String[0]));
    }
}
