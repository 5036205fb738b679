package org.intentgrid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A checkpoint of a 3-member grid whose keys moved and were replicated restores bit for bit into grids of 2 and
 * 4 members; damaged, truncated and unfinished checkpoints are rejected with nothing loaded; a table exports to a
 * NumPy file that holds exactly its values.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CheckpointTest
{
    private static final TableSpec EMBEDDINGS = TableSpec.of("ckpt-emb", 2_000, 8).init(Init.uniform(-1, 1, 11));
    private static final TableSpec BIASES = TableSpec.of("ckpt-bias", 500, 3).init(Init.normal(0, 0.1, 12));

    @Test
    void aCheckpointRestoresBitForBitIntoAnyMemberCountAndDamageIsRejected(@TempDir final Path dir) throws Exception
    {
        final Path checkpoint = dir.resolve("ckpt");
        final float[][] expected;
        try (ParameterGrid grid = TestGrids.start(3))
        {
            final Table embeddings = grid.table(EMBEDDINGS);
            final Table biases = grid.table(BIASES);
            train(grid, embeddings, biases);
            expected = new float[][] {pullAll(grid, embeddings), pullAll(grid, biases)};
            grid.checkpoint(checkpoint);
        }
        try (Stream<Path> files = Files.list(checkpoint))
        {
            final List<String> names = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            assertEquals(7, names.size(), "a manifest and one part per table and member: " + names);
        }

        for (final int members : new int[] {2, 4})
        {
            try (ParameterGrid grid = TestGrids.start(members))
            {
                grid.restore(checkpoint);
                assertArrayEquals(expected[0], pullAll(grid, grid.table(EMBEDDINGS.name())), members + " members");
                assertArrayEquals(expected[1], pullAll(grid, grid.table(BIASES.name())), members + " members");
                if (members == 2)
                {
                    exportHoldsTheValues(grid, grid.table(EMBEDDINGS.name()), expected[0], dir.resolve("emb.npy"));
                }
            }
        }

        final Path part = firstPart(checkpoint);
        final byte[] intact = Files.readAllBytes(part);
        final byte[] flipped = intact.clone();
        flipped[intact.length / 2] ^= 0x10;
        Files.write(part, flipped);
        rejectedWithNothingLoaded(checkpoint, "is corrupt");
        Files.write(part, Arrays.copyOf(intact, intact.length - 9));
        rejectedWithNothingLoaded(checkpoint, "truncated");
        Files.write(part, intact);
        Files.delete(checkpoint.resolve(Checkpoints.MANIFEST));
        rejectedWithNothingLoaded(checkpoint, "is missing");
    }

    @Test
    void aRollbackReturnsTheCheckpointsTablesToItsStateAndLeavesOtherTablesAlone(@TempDir final Path dir)
    {
        final Path checkpoint = dir.resolve("rollback");
        try (ParameterGrid grid = TestGrids.start(3))
        {
            final Table embeddings = grid.table(EMBEDDINGS);
            final Table biases = grid.table(BIASES);
            train(grid, embeddings, biases);
            grid.checkpoint(checkpoint, List.of(embeddings));
            // the keys never touched are created now, with their initial values: a rollback must restore those too
            final float[] atCheckpoint = pullAll(grid, embeddings);
            train(grid, embeddings, biases);
            final float[] biasesAfter = pullAll(grid, biases);
            assertTrue(!Arrays.equals(atCheckpoint, pullAll(grid, embeddings)), "training changed the table");

            grid.rollback(checkpoint);
            assertArrayEquals(atCheckpoint, pullAll(grid, embeddings), "every key as it was at the checkpoint");
            assertArrayEquals(biasesAfter, pullAll(grid, biases), "a table not in the checkpoint is not touched");
            assertThrows(IllegalArgumentException.class, () -> grid.checkpoint(checkpoint, List.of(biases, biases)));
        }
    }

    @Test
    void aCheckpointRestoresUnderNewTableNamesNextToTheTablesItWasWrittenFrom(@TempDir final Path dir)
    {
        final Path checkpoint = dir.resolve("renamed");
        try (ParameterGrid grid = TestGrids.start(2))
        {
            final Table embeddings = grid.table(EMBEDDINGS);
            final Table biases = grid.table(BIASES);
            train(grid, embeddings, biases);
            // every key created before the checkpoint: one it does not hold starts from the initializer, which is
            // seeded by the table's name
            final float[] expected = pullAll(grid, embeddings);
            final float[] expectedBiases = pullAll(grid, biases);
            grid.checkpoint(checkpoint);

            assertThrows(IllegalArgumentException.class, () -> grid.restore(checkpoint, name -> "same"),
                "two tables under one name");
            assertThrows(IllegalArgumentException.class, () -> grid.restore(checkpoint, name -> ""), "an invalid name");
            assertEquals(List.of(BIASES.name(), EMBEDDINGS.name()),
                grid.tables().stream().map(Table::name).sorted().collect(Collectors.toList()),
                "a rejected renaming declares nothing");

            grid.restore(checkpoint, name -> "next-" + name);
            final Table copy = grid.table("next-" + EMBEDDINGS.name());
            assertEquals(EMBEDDINGS.size(), copy.size());
            assertEquals(EMBEDDINGS.init(), copy.spec().init(), "the same initializer");
            assertArrayEquals(expected, pullAll(grid, copy), "the values written, under the new name");
            assertArrayEquals(expectedBiases, pullAll(grid, grid.table("next-" + BIASES.name())));
            assertArrayEquals(expected, pullAll(grid, embeddings), "the original table is left as it was");
        }
    }

    /** Two workers push with intents (keys relocate to one member or are replicated on both), some keys untouched. */
    private static void train(final ParameterGrid grid, final Table embeddings, final Table biases)
    {
        final SplittableRandom random = new SplittableRandom(3);
        try (ParameterWorker a = grid.member(0).worker(); ParameterWorker b = grid.member(1).worker())
        {
            for (int step = 0; step < 40; step++)
            {
                for (final ParameterWorker worker : List.of(a, b))
                {
                    final long[] keys = new long[32];
                    for (int i = 0; i < keys.length; i++)
                    {
                        keys[i] = random.nextInt(i < 8 ? 50 : (int)EMBEDDINGS.size());
                    }
                    worker.intent(embeddings, keys, worker.clock(), worker.clock() + 3);
                    final float[] updates = new float[keys.length * EMBEDDINGS.valueLength()];
                    for (int i = 0; i < updates.length; i++)
                    {
                        updates[i] = (float)random.nextGaussian();
                    }
                    worker.push(embeddings, keys, updates).await();
                    final long[] bias = {random.nextInt(100)};
                    worker.push(biases, bias, new float[] {0.5f, -0.25f, 1f}).await();
                    worker.advanceClock();
                }
            }
        }
        grid.members().forEach(GridMember::waitSync);
    }

    private static float[] pullAll(final ParameterGrid grid, final Table table)
    {
        final long[] keys = new long[(int)table.size()];
        Arrays.setAll(keys, k -> k);
        final float[] values = new float[keys.length * table.valueLength()];
        try (ParameterWorker worker = grid.member(grid.members().size() - 1).worker())
        {
            worker.pull(table, keys, values).await();
        }
        return values;
    }

    private static void exportHoldsTheValues(final ParameterGrid grid, final Table table, final float[] expected,
        final Path file) throws IOException
    {
        grid.export(table, file);
        final byte[] bytes = Files.readAllBytes(file);
        assertEquals((byte)0x93, bytes[0]);
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
        final int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLength) % 64, "the data starts 64-byte aligned");
        final String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (2000, 8)"), header);
        final float[] values = new float[expected.length];
        ByteBuffer.wrap(bytes, 10 + headerLength, bytes.length - 10 - headerLength).order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer().get(values);
        assertArrayEquals(expected, values, "row k of the export is key k");
    }

    private static Path firstPart(final Path checkpoint) throws IOException
    {
        try (Stream<Path> files = Files.list(checkpoint))
        {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).sorted()
                .filter(p -> p.toFile().length() > 1000).findFirst().orElseThrow();
        }
    }

    private static void rejectedWithNothingLoaded(final Path checkpoint, final String reason)
    {
        try (ParameterGrid grid = TestGrids.start(1))
        {
            final IllegalArgumentException rejected = assertThrows(IllegalArgumentException.class,
                () -> grid.restore(checkpoint));
            assertTrue(rejected.getMessage().contains(reason), "'" + reason + "' in: " + rejected.getMessage());
            final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> grid.table(EMBEDDINGS.name()));
            assertTrue(unknown.getMessage().contains("unknown table"), "nothing declared: " + unknown.getMessage());
        }
    }
}
