package org.intentgrid.samples.kge;

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
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kge app: the toy-data quality gate, learning on generated data, adaptive vs static, malformed input. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KgeTest
{
    private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");
    private static final Path TOY = Paths.get("..", "..", "shared", "data", "adapm-toy", "kge");

    @BeforeAll
    static void quiet()
    {
        HAZELCAST.setLevel(Level.SEVERE);
    }

    static TrainingResult train(final String... args)
    {
        final KgeCommand command = new KgeCommand();
        new CommandLine(command).parseArgs(args);
        command.options.quiet = true;
        return new Trainer(command.app(), command.options, AppRecipe.of(command, List.of(args))).run();
    }

    private static double lastThree(final TrainingResult result)
    {
        final int n = result.epochs().size();
        return result.epochs().subList(n - 3, n).stream().mapToDouble(result::quality).average().orElseThrow();
    }

    @Test
    void toyDataReachesTheQualityGate()
    {
        assertTrue(Files.isDirectory(TOY), "toy data at " + TOY.toAbsolutePath());
        // one member trains the same way every run: best validation MRR 0.5032 (epoch 12), test MRR 0.4979 in three
        // runs (2026-12-07), against the 0.53 the dataset's README gives for ComplEx after 12 epochs
        final TrainingResult single = train("--data", TOY.toString(), "--model", "complex", "--dim", "100",
            "--members", "1", "--epochs", "12", "--seed", "1");
        assertQuality(single, 0.50, 0.45);
        // two members' replicas see each other's updates a round or two late, by their threads' timing: best
        // validation MRR 0.443-0.501, test MRR 0.435-0.488 in eleven runs (2026-12-07; CI saw the 0.443)
        final TrainingResult two = train("--data", TOY.toString(), "--model", "complex", "--dim", "100",
            "--members", "2", "--epochs", "12", "--seed", "1");
        assertQuality(two, 0.40, 0.35);
    }

    private static void assertQuality(final TrainingResult result, final double validation, final double test)
    {
        final double best = result.quality(result.bestEpoch());
        assertTrue(best >= validation, "filtered validation MRR within 12 epochs: " + best);
        final Map<String, Object> last = result.epochs().get(11);
        assertTrue((double)last.get("test_mrr_filtered") > test, "test MRR " + last.get("test_mrr_filtered"));
    }

    @Test
    void learnsOnAGeneratedGraph()
    {
        // MRR after 8 epochs ranged 0.084-0.148 over nine runs with the two members' timing (2026-12-05; CI once
        // saw 0.084 against the bound 0.087); after 14 epochs 0.128-0.209 over six, clear of the bound
        final TrainingResult result = train("--gen-entities", "300", "--members", "2", "--epochs", "14", "--dim",
            "32", "--seed", "3");
        final List<Map<String, Object>> epochs = result.epochs();
        final double firstLoss = (double)epochs.get(0).get("train_loss");
        final double lastLoss = (double)epochs.get(epochs.size() - 1).get("train_loss");
        assertTrue(lastLoss < 0.5 * firstLoss, "loss falls: " + firstLoss + " -> " + lastLoss);
        assertTrue(result.finalQuality() > 0.08 && result.finalQuality() > 3 * result.initialQuality(),
            "MRR rises well above chance: " + result.initialQuality() + " -> " + result.finalQuality());
    }

    @Test
    void rescalLearnsOnAGeneratedGraph()
    {
        // one run (2026-12-06): loss 0.378 -> 0.101, MRR 0.019 -> 0.340 after 14 epochs on 2 members
        final TrainingResult result = train("--gen-entities", "300", "--model", "rescal", "--members", "2",
            "--epochs", "14", "--dim", "16", "--seed", "3");
        final List<Map<String, Object>> epochs = result.epochs();
        final double firstLoss = (double)epochs.get(0).get("train_loss");
        final double lastLoss = (double)epochs.get(epochs.size() - 1).get("train_loss");
        assertTrue(lastLoss < 0.5 * firstLoss, "loss falls: " + firstLoss + " -> " + lastLoss);
        assertTrue(result.finalQuality() > 0.12 && result.finalQuality() > 3 * result.initialQuality(),
            "MRR rises well above chance: " + result.initialQuality() + " -> " + result.finalQuality());
    }

    @Test
    void adaptiveAndStaticReachTheSameQuality()
    {
        final TrainingResult adaptive = train("--data", TOY.toString(), "--members", "2", "--epochs", "6", "--seed",
            "5",
            "--mode", "adaptive");
        final TrainingResult classic = train("--data", TOY.toString(), "--members", "2", "--epochs", "6", "--seed", "5",
            "--mode", "static");
        // One epoch's MRR on 109 validation triples moves by about 0.03 from epoch to epoch, so compare the mean of
        // the last three epochs. That mean still varies from run to run with the threads' timing: eight runs of each
        // mode (2026-12-03) gave adaptive 0.463-0.522 and static 0.489-0.524, and CI once saw 0.453 against 0.524;
        // a broken mode (lost or doubled updates) lands far below either
        assertTrue(Math.abs(lastThree(adaptive) - lastThree(classic)) < 0.10,
            "MRR adaptive " + lastThree(adaptive) + " vs static " + lastThree(classic) + " (mean of epochs 4-6)");
        assertTrue((double)classic.epochs().get(5).get("local_share") < 0.7, "static keeps keys at their homes");
        assertTrue((double)adaptive.epochs().get(5).get("local_share") > 0.9, "adaptive makes accesses local");
    }

    @Test
    void malformedInputIsRejectedWithItsLineNumber(@TempDir final Path dir) throws IOException
    {
        rejected(dir, "0\t0\t1\n1\t0\n", "train.del:2", "expected 3 tab-separated columns");
        rejected(dir, "0\t0\t1\n1\tx\t2\n", "train.del:2", "relation id 'x' is not an integer");
        rejected(dir, "0\t0\t1\n-1\t0\t2\n", "train.del:2", "subject id -1 is out of range");
        rejected(dir, "", "train.del", "no triples");
        Files.writeString(dir.resolve("train.del"), "0\t0\t1\n1\t0\t2\n");
        Files.writeString(dir.resolve("valid.del"), "0\t0\t2\n\n2\t0\t3\n");
        Files.writeString(dir.resolve("test.del"), "0\t0\t2\n");
        final InputFormatException e = assertThrows(InputFormatException.class, () -> app(dir));
        assertTrue(e.getMessage().contains("valid.del:3") && e.getMessage().contains("object id 3 is out of range"),
            e.getMessage());
        assertEquals(3, e.line());
    }

    private static void rejected(final Path dir, final String train, final String where, final String what)
        throws IOException
    {
        Files.writeString(dir.resolve("train.del"), train);
        Files.writeString(dir.resolve("valid.del"), "0\t0\t1\n");
        Files.writeString(dir.resolve("test.del"), "0\t0\t1\n");
        final InputFormatException e = assertThrows(InputFormatException.class, () -> app(dir));
        assertTrue(e.getMessage().contains(where) && e.getMessage().contains(what), e.getMessage());
    }

    private static KgeApp app(final Path dir)
    {
        final KgeCommand command = new KgeCommand();
        new CommandLine(command).parseArgs("--data", dir.toString());
        return command.app();
    }
}
