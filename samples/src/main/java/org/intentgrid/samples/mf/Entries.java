package org.intentgrid.samples.mf;

import org.intentgrid.samples.train.InputFormatException;
import org.intentgrid.samples.train.Inputs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The non-zero entries of a sparse matrix, 0-based, read from a MatrixMarket coordinate file. */
final class Entries
{
    private static final String HEADER = "%%MatrixMarket matrix coordinate real general";

    final int rows;
    final int columns;
    final int[] row;
    final int[] column;
    final float[] value;

    Entries(final int rows, final int columns, final int[] row, final int[] column, final float[] value)
    {
        this.rows = rows;
        this.columns = columns;
        this.row = row;
        this.column = column;
        this.value = value;
    }

    int size()
    {
        return row.length;
    }

    /**
     * Reads a MatrixMarket coordinate file: the header {@value #HEADER}, {@code %} comments, the size line
     * {@code M N L}, then {@code L} lines {@code i j x} with 1-based indices.
     *
     * @throws InputFormatException for a missing or wrong header, an empty file, a wrong column count, indices out of
     *                              range or negative, non-numeric values, or fewer or more entries than declared
     */
    static Entries read(final Path file)
    {
        try (BufferedReader reader = Inputs.open(file))
        {
            String line = reader.readLine();
            if (line == null)
            {
                throw new InputFormatException(file, 0, "the file is empty; expected the header " + HEADER);
            }
            if (!line.strip().equalsIgnoreCase(HEADER))
            {
                throw new InputFormatException(file, 1, "expected the header '" + HEADER + "', found '" + line + "'");
            }
            long number = 1;
            int rows = -1;
            int columns = -1;
            int[] row = null;
            int[] column = null;
            float[] value = null;
            int n = 0;
            while ((line = reader.readLine()) != null)
            {
                number++;
                final String text = line.strip();
                if (text.isEmpty() || text.startsWith("%"))
                {
                    continue;
                }
                final String[] fields = text.split("\\s+");
                if (fields.length != 3)
                {
                    throw new InputFormatException(file, number, "expected 3 whitespace-separated columns " +
                        (rows < 0 ? "(rows, columns, entries)" : "(row, column, value)") + ", found " + fields.length);
                }
                if (rows < 0)
                {
                    rows = integer(file, number, fields[0], "row count", 1, Integer.MAX_VALUE);
                    columns = integer(file, number, fields[1], "column count", 1, Integer.MAX_VALUE);
                    final int declared = integer(file, number, fields[2], "entry count", 1, Integer.MAX_VALUE);
                    row = new int[declared];
                    column = new int[declared];
                    value = new float[declared];
                    continue;
                }
                if (n == row.length)
                {
                    throw new InputFormatException(file, number, "more entries than the " + row.length + " declared");
                }
                row[n] = integer(file, number, fields[0], "row index", 1, rows) - 1;
                column[n] = integer(file, number, fields[1], "column index", 1, columns) - 1;
                value[n] = real(file, number, fields[2]);
                n++;
            }
            if (rows < 0)
            {
                throw new InputFormatException(file, number, "no size line 'rows columns entries' after the header");
            }
            if (n != row.length)
            {
                throw new InputFormatException(file, number, "found " + n + " entries but " + row.length +
                    " were declared");
            }
            return new Entries(rows, columns, row, column, value);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static int integer(
        final Path file, final long line, final String text, final String what, final int min, final int max)
    {
        final long value;
        try
        {
            value = Long.parseLong(text);
        }
        catch (final NumberFormatException e)
        {
            throw new InputFormatException(file, line, what + " '" + text + "' is not an integer");
        }
        if (value < min || value > max)
        {
            throw new InputFormatException(file, line, what + " " + value + " is out of range; expected " + min +
                " <= " + what + " <= " + max + (min == 1 && max != Integer.MAX_VALUE ? " (indices are 1-based)" : ""));
        }
        return (int)value;
    }

    private static float real(final Path file, final long line, final String text)
    {
        final float value;
        try
        {
            value = Float.parseFloat(text);
        }
        catch (final NumberFormatException e)
        {
            throw new InputFormatException(file, line, "value '" + text + "' is not a number");
        }
        if (!Float.isFinite(value))
        {
            throw new InputFormatException(file, line, "value '" + text + "' is not finite");
        }
        return value;
    }
}
