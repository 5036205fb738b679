package org.intentgrid.samples.train;

import java.nio.file.Path;

/** Malformed training input: names the file, the line (1-based) and what was expected there. */
public final class InputFormatException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    private final Path file;
    private final long line;

    public InputFormatException(final Path file, final long line, final String problem)
    {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
    }

    /** @return the file that is malformed */
    public Path file()
    {
        return file;
    }

    /** @return the 1-based line of the problem, 0 for the file as a whole (for example when it is empty) */
    public long line()
    {
        return line;
    }
}
