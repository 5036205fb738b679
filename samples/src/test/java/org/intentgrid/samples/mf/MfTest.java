package org.intentgrid.samples.mf;

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
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mf app: it learns a planted matrix, adaptive and static agree, the toy files load, malformed input is rejected.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class MfTest
{
    private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");
    private static final String HEADER = "%%MatrixMarket matrix coordinate real general\n";

    @BeforeAll
    static void quiet()
    {
        HAZELCAST.setLevel(Level.SEVERE);
    }

    private static TrainingResult train(final String... args)
    {
        final MfCommand command = new MfCommand();
        new CommandLine(command).parseArgs(args);
        command.options.quiet = true;
        return new Trainer(command.app(), command.options, AppRecipe.of(command, List.of(args))).run();
    }

    private static final String[] SMALL = {"--gen-rows", "600", "--gen-columns", "300", "--gen-entries", "30000",
        "--gen-rank", "4", "--rank", "8", "--members", "2", "--epochs", "10", "--seed", "2"};

    @Test
    void learnsAPlantedMatrix()
    {
        final TrainingResult result = train(SMALL);
        final List<Map<String, Object>> epochs = result.epochs();
        assertTrue((double)epochs.get(9).get("train_loss") < 0.3 * (double)epochs.get(0).get("train_loss"),
            "loss falls: " + epochs.get(0).get("train_loss") + " -> " + epochs.get(9).get("train_loss"));
        assertTrue(result.finalQuality() < 0.6 * result.initialQuality(),
            "test RMSE " + result.initialQuality() + " -> " + result.finalQuality());
    }

    @Test
    void plainSgdAsTheReferenceLearnsItToo()
    {
        final TrainingResult result = train(concat(SMALL, "--optimizer", "sgd"));
        assertTrue(result.finalQuality() < 0.6 * result.initialQuality(),
            "test RMSE with plain SGD " + result.initialQuality() + " -> " + result.finalQuality());
        assertEquals(10, result.epochs().size(), "ten epochs ran");
    }

    /**
     * A run stopped after 3 of 6 epochs and resumed from its checkpoint continues at epoch 4 from the stored model:
     * its first evaluation equals the interrupted run's last, and it ends near an uninterrupted run's quality. The
     * finished model is saved as one NumPy file per table.
     */
    @Test
    void anInterruptedRunResumesFromItsCheckpointAndSavesItsModel(@TempDir final Path dir) throws Exception
    {
        final String[] data = {"--gen-rows", "300", "--gen-columns", "200", "--gen-entries", "8000", "--gen-rank",
            "4", "--rank", "8", "--members", "2", "--seed", "5"};
        final String[] run = concat(data, "--checkpoint-dir", dir.resolve("ckpt").toString());
        final TrainingResult firstHalf = train(concat(run, "--epochs", "3"));
        final TrainingResult resumed = train(concat(run, "--epochs", "6", "--resume", "--save",
            dir.resolve("model").toString()));
        assertEquals(List.of(4, 5, 6), resumed.epochs().stream().map(e -> e.get("epoch")).collect(Collectors.toList()),
            "the resumed run trains epochs 4 to 6");
        assertEquals(firstHalf.finalQuality(), resumed.initialQuality(), 1e-9,
            "the resumed run starts from the model the interrupted run stored");
        final TrainingResult whole = train(concat(data, "--epochs", "6"));
        assertEquals(whole.finalQuality(), resumed.finalQuality(), 0.1 * whole.finalQuality(),
            "resumed and uninterrupted runs end at about the same test RMSE");
        try (Stream<Path> files = Files.list(dir.resolve("model")))
        {
            assertTrue(files.filter(f -> f.toString().endsWith(".npy")).count() >= 2, "one .npy file per table");
        }
        assertTrue(Files.isRegularFile(dir.resolve("ckpt").resolve("epoch-6").resolve("manifest.properties")),
            "the last checkpoint is complete");
        assertTrue(!Files.exists(dir.resolve("ckpt").resolve("epoch-3")), "the previous checkpoint was replaced");
    }

    @Test
    void adaptiveAndStaticReachTheSameQuality()
    {
        final String[] shorter = {"--gen-rows", "300", "--gen-columns", "200", "--gen-entries", "8000", "--gen-rank",
            "4", "--rank", "8", "--members", "2", "--epochs", "6", "--seed", "4"};
        final String[] adaptive = concat(shorter, "--mode", "adaptive");
        final String[] classic = concat(shorter, "--mode", "static");
        final TrainingResult a = train(adaptive);
        final TrainingResult s = train(classic);
        assertTrue(Math.abs(a.finalQuality() - s.finalQuality()) < 0.05 * s.finalQuality() + 0.02,
            "test RMSE adaptive " + a.finalQuality() + " vs static " + s.finalQuality());
        assertTrue((double)a.epochs().get(5).get("local_share") > 0.95, "rows and column blocks are local");
        assertTrue((double)s.epochs().get(5).get("local_share") < 0.7, "static keeps them at their homes");
    }

    @Test
    void toyFilesLoadAndTrain()
    {
        final TrainingResult result = train("--data", Paths.get("..", "..", "shared", "data", "adapm-toy",
            "mf").toString(),
            "--rank", "2", "--members", "2", "--epochs", "3");
        assertEquals(3, result.epochs().size());
        assertTrue(Double.isFinite(result.finalQuality()));
    }

    @Test
    void malformedInputIsRejectedWithItsLineNumber(@TempDir final Path dir) throws IOException
    {
        rejected(dir, "", "train.mmc", "empty");
        rejected(dir, "3 3 1\n1 1 1.0\n", "train.mmc:1", "expected the header");
        rejected(dir, HEADER + "% c\n3 3 2\n1 1 1.0\n2 2\n", "train.mmc:5", "expected 3 whitespace-separated columns");
        rejected(dir, HEADER + "3 3 2\n1 1 1.0\n4 2 1.0\n", "train.mmc:4", "row index 4 is out of range");
        rejected(dir, HEADER + "3 3 2\n1 1 1.0\n2 0 1.0\n", "train.mmc:4", "column index 0 is out of range");
        rejected(dir, HEADER + "3 3 2\n1 1 1.0\n-2 1 1.0\n", "train.mmc:4", "row index -2 is out of range");
        rejected(dir, HEADER + "3 3 2\n1 1 1.0\n2 2 abc\n", "train.mmc:4", "value 'abc' is not a number");
        rejected(dir, HEADER + "3 x 2\n", "train.mmc:2", "column count 'x' is not an integer");
        rejected(dir, HEADER + "3 3 3\n1 1 1.0\n2 2 1.0\n", "train.mmc:4", "found 2 entries but 3 were declared");
    }

    private static void rejected(final Path dir, final String train, final String where, final String what)
        throws IOException
    {
        Files.writeString(dir.resolve("train.mmc"), train);
        Files.writeString(dir.resolve("test.mmc"), HEADER + "3 3 1\n1 1 1.0\n");
        final MfCommand command = new MfCommand();
        new CommandLine(command).parseArgs("--data", dir.toString());
        final InputFormatException e = assertThrows(InputFormatException.class, command::app);
        assertTrue(e.getMessage().contains(where) && e.getMessage().contains(what), e.getMessage());
    }

    private static String[] concat(final String[] a, final String... b)
    {
        final String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
