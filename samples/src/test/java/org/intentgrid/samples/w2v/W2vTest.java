package org.intentgrid.samples.w2v;

import org.intentgrid.samples.train.AppRecipe;
import org.intentgrid.samples.train.InputFormatException;
import org.intentgrid.samples.train.Trainer;
import org.intentgrid.samples.train.TrainingResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The w2v app: planted word groups are found, adaptive and static agree, unusable text is rejected. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class W2vTest
{
    private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");
    /**
     * Six epochs: after four, two members training asynchronously on this tiny corpus are still mid-way, and the nn
     * score of one run spread 0.78–0.92 with the timing of the sync rounds (before and after brief uses got
     * replicas alike); after six it is 0.94–0.98, as static's.
     */
    private static final String[] SMALL = {"--gen-groups", "40", "--gen-sentences", "2000", "--dim", "24",
        "--members", "2", "--epochs", "6", "--seed", "3"};

    @BeforeAll
    static void quiet()
    {
        HAZELCAST.setLevel(Level.SEVERE);
    }

    private static TrainingResult train(final String... args)
    {
        final W2vCommand command = new W2vCommand();
        new CommandLine(command).parseArgs(args);
        command.options.quiet = true;
        return new Trainer(command.app(), command.options, AppRecipe.of(command, List.of(args))).run();
    }

    @Test
    void findsThePlantedGroupsAndAgreesAcrossModes()
    {
        final TrainingResult adaptive = train(concat(SMALL, "--mode", "adaptive"));
        final double firstLoss = (double)adaptive.epochs().get(0).get("loss");
        final double lastLoss = (double)adaptive.epochs().get(adaptive.epochs().size() - 1).get("loss");
        assertTrue(lastLoss < firstLoss, "held-out loss falls: " + firstLoss + " -> " + lastLoss);
        assertTrue(adaptive.finalQuality() > 0.7 && adaptive.finalQuality() > adaptive.initialQuality() + 0.3,
            "nearest neighbours in the planted group: " + adaptive.initialQuality() + " -> " + adaptive.finalQuality());
        final TrainingResult classic = train(concat(SMALL, "--mode", "static"));
        assertTrue(Math.abs(adaptive.finalQuality() - classic.finalQuality()) < 0.1,
            "nn score adaptive " + adaptive.finalQuality() + " vs static " + classic.finalQuality());
    }

    @Test
    void unusableTextIsRejected(@TempDir final Path dir) throws IOException
    {
        rejected(dir, "no *.txt file");
        Files.writeString(dir.resolve("a.txt"), "\n  \n");
        rejected(dir, "a.txt: the file holds no words");
        Files.writeString(dir.resolve("a.txt"), "one two three\nfour five\n");
        rejected(dir, "fewer than 2 words occur at least 5 times");
    }

    private static void rejected(final Path dir, final String what)
    {
        final W2vCommand command = new W2vCommand();
        new CommandLine(command).parseArgs("--data", dir.toString());
        final InputFormatException e = assertThrows(InputFormatException.class, command::app);
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    private static String[] concat(final String[] a, final String... b)
    {
        final String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
