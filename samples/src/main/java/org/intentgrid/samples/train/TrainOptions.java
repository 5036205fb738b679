package org.intentgrid.samples.train;

import org.intentgrid.GridConfig;
import org.intentgrid.spi.Mode;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.List;
import java.util.UUID;

/** The options every training app shares (a picocli mixin). */
public final class TrainOptions
{
    @Option(names = "--members", defaultValue = "2", description = "members (default ${DEFAULT-VALUE})")
    public int members;

    @Option(names = "--threads", defaultValue = "1",
        description = "worker threads per member (default ${DEFAULT-VALUE})")
    public int threads;

    @Option(names = "--mode", defaultValue = "adaptive",
        description = "adaptive, static, replication-only or relocation-only (default ${DEFAULT-VALUE})")
    public String mode;

    @Option(names = "--epochs", defaultValue = "10", description = "epochs (default ${DEFAULT-VALUE})")
    public int epochs;

    @Option(names = "--time-budget", defaultValue = "0",
        description = "stop after the epoch in which the training time reaches this many seconds (0: run every " +
            "epoch; default ${DEFAULT-VALUE})")
    public double timeBudgetSeconds;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})")
    public long seed;

    @Option(names = "--data", description = "input directory (default: generate a dataset)")
    public File data;

    @Option(names = "--json",
        description = "result file; PNG plots are written next to it (default results/<app>.json)")
    public File json;

    @Option(names = "--fork", description = "run each member in its own JVM on 127.0.0.1 instead of embedded")
    public boolean fork;

    @Option(names = "--cluster", split = ",", paramLabel = "HOST:PORT",
        description = "train on a running cluster (members started with 'bin/intentgrid member --config FILE'): " +
            "this JVM joins it as one more member through these addresses; workers run on every member")
    public List<String> cluster;

    @Option(names = "--cluster-name", defaultValue = "intentgrid",
        description = "with --cluster: the cluster's name (default ${DEFAULT-VALUE}, as in the example config)")
    public String clusterName;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
        description = "with --cluster: the address of this machine the driver's member binds to and others reach " +
            "it at (default ${DEFAULT-VALUE})")
    public String bind;

    @Option(names = "--quiet", description = "no progress bars")
    public boolean quiet;

    /** This run's id: names its barriers, and on a shared cluster its tables. */
    public final String runId = UUID.randomUUID().toString().substring(0, 8);

    @Option(names = "--max-rounds-per-second",
        description = "the most sync rounds a member's channel starts per second (default: the grid's, 1000)")
    public Integer maxRoundsPerSecond;

    @Option(names = "--hot-lane-keys", paramLabel = "N",
        description = "the most replicas a member syncs in its hot lane, small rounds of their own for the keys " +
            "pushed to most (default: the grid's, " + GridConfig.HOT_LANE_KEYS_DEFAULT + "; 0: none)")
    public Integer hotLaneKeys;

    @Option(names = "--relocation-limit", paramLabel = "N|none",
        description = "in mode adaptive, how often a key may change members before it is only replicated from where " +
            "it is (default none; 2 suits kge, whose keys change hands often)")
    public String relocationLimit;

    @Option(names = "--save", description = "after training, export every table to DIR/<table>.npy (NumPy float32, " +
        "row = key)")
    public File save;

    @Option(names = "--checkpoint-dir", description = "write a checkpoint of every table to this directory after " +
        "every --checkpoint-every epochs (the previous one is replaced once the new one is complete)")
    public File checkpointDir;

    @Option(names = "--checkpoint-every", defaultValue = "1",
        description = "epochs between checkpoints (default ${DEFAULT-VALUE})")
    public int checkpointEvery;

    @Option(names = "--resume", description = "continue from the last checkpoint in --checkpoint-dir, at the epoch " +
        "after it")
    public boolean resume;

    @Option(names = "--backups", defaultValue = "" + GridConfig.BACKUPS_DEFAULT,
        description = "backups of each member's main copies: 1 survives a member crash, 0 loses its keys " +
            "(default ${DEFAULT-VALUE})")
    public int backups;

    @Option(names = "--kill-member", description = "with --fork: kill member JVM M (1 .. members-1; 0 is this JVM) " +
        "with SIGKILL during epoch --kill-at-epoch; the run goes on with the survivors")
    public int killMember;

    @Option(names = "--kill-at-epoch", defaultValue = "2",
        description = "the epoch during which --kill-member dies (default ${DEFAULT-VALUE})")
    public int killAtEpoch;

    /** @return the grid settings of this run's members (their number aside) */
    public GridConfig gridConfig()
    {
        GridConfig config = GridConfig.embedded().mode(parsedMode()).backups(backups)
            .relocationLimit(parsedRelocationLimit());
        if (hotLaneKeys != null)
        {
            config = config.hotLaneKeys(hotLaneKeys);
        }
        return maxRoundsPerSecond == null ? config : config.maxRoundsPerSecond(maxRoundsPerSecond);
    }

    /** @return the parsed {@code --relocation-limit} (none: {@code Integer.MAX_VALUE}), or a clear error */
    public int parsedRelocationLimit()
    {
        return relocationLimit == null ? GridConfig.RELOCATION_LIMIT_DEFAULT : parseRelocationLimit(relocationLimit);
    }

    /**
     * @param value a {@code --relocation-limit} value: a number {@code >= 0} or {@code none}
     * @return the limit ({@code Integer.MAX_VALUE} for none)
     * @throws IllegalArgumentException naming the option, the value and what is expected
     */
    public static int parseRelocationLimit(final String value)
    {
        try
        {
            return GridConfig.parseRelocationLimit(value);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("--relocation-limit " + value + " is invalid: " + e.getMessage() +
                " (expected a number >= 0 or none)", e);
        }
    }

    /** @return the parsed mode, or a clear error */
    public Mode parsedMode()
    {
        return Mode.parse(mode);
    }

    /** Rejects impossible settings before anything starts. */
    public void validate()
    {
        parsedRelocationLimit();
        if (members < 1 || members > 16)
        {
            throw new IllegalArgumentException("--members " + members + " is out of range; expected 1..16");
        }
        if (threads < 1 || threads > 64)
        {
            throw new IllegalArgumentException("--threads " + threads + " is out of range; expected 1..64");
        }
        if (epochs < 1)
        {
            throw new IllegalArgumentException("--epochs " + epochs + " is out of range; expected >= 1");
        }
        if (!(timeBudgetSeconds >= 0))
        {
            throw new IllegalArgumentException("--time-budget " + timeBudgetSeconds + " is invalid; expected " +
                "seconds >= 0 (0: no budget)");
        }
        parsedMode();
        if (backups < 0 || backups > 1)
        {
            throw new IllegalArgumentException("--backups " + backups + " is out of range; expected 0 or 1");
        }
        if (cluster != null && (fork || members < 2))
        {
            throw new IllegalArgumentException("--cluster " + String.join(",", cluster) + " cannot be combined with " +
                "--fork (the cluster's members are the run's); --members counts the cluster's members with this one " +
                "(at least 2, was " + members + ")");
        }
        if (killMember != 0 && (!fork || killMember < 1 || killMember >= members))
        {
            throw new IllegalArgumentException("--kill-member " + killMember + " needs --fork and a member JVM " +
                "number in 1.." + (members - 1) + " (0 is this JVM, which drives the run)");
        }
        if (killMember != 0 && (killAtEpoch < 1 || killAtEpoch > epochs))
        {
            throw new IllegalArgumentException("--kill-at-epoch " + killAtEpoch + " is out of range; expected 1.." +
                epochs);
        }
        if (checkpointEvery < 1)
        {
            throw new IllegalArgumentException("--checkpoint-every " + checkpointEvery + " is out of range; " +
                "expected >= 1");
        }
        if (resume && checkpointDir == null)
        {
            throw new IllegalArgumentException("--resume needs --checkpoint-dir: the directory to resume from");
        }
        if (data != null && !data.isDirectory())
        {
            throw new IllegalArgumentException("--data " + data + " is not a directory");
        }
    }

    /**
     * @return what this run's table names start with: on a long-lived cluster the tables belong to the run (and are
     *         dropped at its end), elsewhere they have the app's plain names
     */
    public String tablePrefix()
    {
        return cluster == null ? "" : "run-" + runId + "-";
    }

    /** @return the result file */
    public File jsonFile(final String app)
    {
        return json != null ? json : new File("results", app + ".json");
    }
}
