package org.intentgrid.samples.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opening training input files with a clear error when one is missing. */
public final class Inputs
{
    private Inputs()
    {
    }

    /** @return a UTF-8 reader of {@code file} */
    public static BufferedReader open(final Path file)
    {
        if (!Files.isRegularFile(file))
        {
            throw new InputFormatException(file, 0, "no such file");
        }
        try
        {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
