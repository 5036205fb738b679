package org.intentgrid.samples.kge;

import org.intentgrid.samples.train.InputFormatException;
import org.intentgrid.samples.train.Inputs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/** A list of (subject, relation, object) triples with 0-based ids, as read from a {@code .del} file. */
final class Triples
{
    final int[] subjects;
    final int[] relations;
    final int[] objects;

    Triples(final int[] subjects, final int[] relations, final int[] objects)
    {
        this.subjects = subjects;
        this.relations = relations;
        this.objects = objects;
    }

    int size()
    {
        return subjects.length;
    }

    /** @return one more than the largest entity id used */
    int entityBound()
    {
        int max = -1;
        for (int i = 0; i < size(); i++)
        {
            max = Math.max(max, Math.max(subjects[i], objects[i]));
        }
        return max + 1;
    }

    /** @return one more than the largest relation id used */
    int relationBound()
    {
        return Arrays.stream(relations).max().orElse(-1) + 1;
    }

    /**
     * Reads {@code subject<TAB>relation<TAB>object} lines.
     *
     * @param entities  entity ids must be below this ({@link Integer#MAX_VALUE} when not known yet)
     * @param relations relation ids must be below this
     * @throws InputFormatException for an empty file, a wrong column count, a non-numeric, negative or too large id
     */
    static Triples read(final Path file, final int entities, final int relations)
    {
        int[] s = new int[1024];
        int[] r = new int[1024];
        int[] o = new int[1024];
        int n = 0;
        try (BufferedReader reader = Inputs.open(file))
        {
            long lineNumber = 0;
            String line;
            while ((line = reader.readLine()) != null)
            {
                lineNumber++;
                if (line.isBlank())
                {
                    continue;
                }
                final String[] columns = line.strip().split("\t");
                if (columns.length != 3)
                {
                    throw new InputFormatException(file, lineNumber, "expected 3 tab-separated columns " +
                        "(subject, relation, object), found " + columns.length);
                }
                if (n == s.length)
                {
                    s = Arrays.copyOf(s, 2 * n);
                    r = Arrays.copyOf(r, 2 * n);
                    o = Arrays.copyOf(o, 2 * n);
                }
                s[n] = id(file, lineNumber, columns[0], "subject", entities);
                r[n] = id(file, lineNumber, columns[1], "relation", relations);
                o[n] = id(file, lineNumber, columns[2], "object", entities);
                n++;
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (n == 0)
        {
            throw new InputFormatException(file, 0, "the file holds no triples");
        }
        return new Triples(Arrays.copyOf(s, n), Arrays.copyOf(r, n), Arrays.copyOf(o, n));
    }

    private static int id(final Path file, final long line, final String text, final String what, final int bound)
    {
        final long value;
        try
        {
            value = Long.parseLong(text.strip());
        }
        catch (final NumberFormatException e)
        {
            throw new InputFormatException(file, line, what + " id '" + text + "' is not an integer");
        }
        if (value < 0 || value >= bound)
        {
            throw new InputFormatException(file, line, what + " id " + value + " is out of range; expected 0 <= id < " +
                bound + (bound == Integer.MAX_VALUE ? "" : " (ids seen in train.del)"));
        }
        return (int)value;
    }
}
