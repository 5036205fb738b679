package org.intentgrid.samples.mf;

import org.intentgrid.samples.train.InputFormatException;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Path;

/** The matrix of the mf apps: {@code train.mmc} and {@code test.mmc} of a directory, or a planted one generated. */
final class MatrixOptions
{
    @Option(names = "--gen-rows", defaultValue = "4000", description = "generated: rows (default ${DEFAULT-VALUE})")
    int genRows;

    @Option(names = "--gen-columns", defaultValue = "2000",
        description = "generated: columns (default ${DEFAULT-VALUE})")
    int genColumns;

    @Option(names = "--gen-entries", defaultValue = "200000",
        description = "generated: entries (default ${DEFAULT-VALUE})")
    int genEntries;

    @Option(names = "--gen-rank", defaultValue = "8",
        description = "generated: planted rank (default ${DEFAULT-VALUE})")
    int genRank;

    @Option(names = "--gen-noise", defaultValue = "0.1",
        description = "generated: noise sd = best achievable RMSE (default ${DEFAULT-VALUE})")
    double genNoise;

    /** Training and test entries of one matrix, and how to name it. */
    record Matrix(Entries train, Entries test, String description)
    {
    }

    /**
     * @param data a directory with {@code train.mmc} and {@code test.mmc}, or null to generate the matrix
     * @throws IllegalArgumentException for generator settings out of range
     * @throws InputFormatException     for files that are not a matrix or do not agree on its size
     */
    Matrix matrix(final File data, final long seed)
    {
        if (data != null)
        {
            final Path dir = data.toPath();
            final Entries train = Entries.read(dir.resolve("train.mmc"));
            final Entries test = Entries.read(dir.resolve("test.mmc"));
            if (test.rows != train.rows || test.columns != train.columns)
            {
                throw new InputFormatException(dir.resolve("test.mmc"), 0, "the matrix is " + test.rows + " x " +
                    test.columns + " but train.mmc's is " + train.rows + " x " + train.columns);
            }
            return new Matrix(train, test, dir.toString());
        }
        if (genRows < 2 || genColumns < 2 || genRank < 1 || genNoise < 0 || genEntries < 10 ||
            genEntries > (long)genRows * genColumns / 2)
        {
            throw new IllegalArgumentException("generated matrix: expected --gen-rows, --gen-columns >= 2, " +
                "--gen-rank >= 1, --gen-noise >= 0 and 10 <= --gen-entries <= rows x columns / 2");
        }
        final MfGenerator generated = new MfGenerator(genRows, genColumns, genRank, genEntries, genNoise, seed);
        return new Matrix(generated.train, generated.test, String.format("generated: %d x %d, planted rank %d, " +
            "noise %.3f (best achievable RMSE), %d/%d entries, Zipf-skewed rows and columns", genRows, genColumns,
            genRank, genNoise, generated.train.size(), generated.test.size()));
    }
}
