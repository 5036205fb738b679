package org.intentgrid.samples.train;

import org.intentgrid.ParameterGrid;
import org.intentgrid.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A training run's checkpoints: {@code DIR/epoch-<e>} holds the grid's checkpoint after epoch {@code e}, and
 * {@code DIR/latest} names the last complete one (written after it, atomically), so a run stopped at any moment
 * resumes from a complete checkpoint. Also the model export of {@code --save}.
 */
public final class TrainingCheckpoints
{
    private static final String LATEST = "latest";
    /** The run's table prefix, so that a resumed run, which names its tables with its own, can rename them. */
    private static final String TABLE_PREFIX = "table-prefix";

    private TrainingCheckpoints()
    {
    }

    /**
     * @return the tables of the run whose table names start with {@code prefix}: on a long-lived cluster not the
     *         tables of other runs and jobs that share it (a checkpoint of theirs would catch their keys moving, and
     *         fail; an export would create every key of theirs); with an empty prefix, every table
     */
    static List<Table> tablesOf(final ParameterGrid grid, final String prefix)
    {
        final List<Table> tables = new ArrayList<>();
        for (final Table table : grid.tables())
        {
            if (table.name().startsWith(prefix))
            {
                tables.add(table);
            }
        }
        return tables;
    }

    /**
     * Writes the checkpoint after {@code epoch} of the run's tables (named with {@code prefix}, see
     * {@link #tablesOf}) and then forgets the previous one.
     */
    static void write(final ParameterGrid grid, final String prefix, final Path dir, final int epoch)
    {
        try
        {
            final Path previous = latest(dir);
            final Path next = dir.resolve("epoch-" + epoch);
            grid.checkpoint(next, tablesOf(grid, prefix));
            Files.writeString(dir.resolve(TABLE_PREFIX), prefix, StandardCharsets.UTF_8);
            final Path temporary = dir.resolve(LATEST + ".tmp");
            Files.writeString(temporary, next.getFileName().toString(), StandardCharsets.UTF_8);
            Files.move(temporary, dir.resolve(LATEST), StandardCopyOption.ATOMIC_MOVE);
            if (previous != null && !previous.equals(next))
            {
                deleteTree(previous);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write the checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Restores the last complete checkpoint in {@code dir} into {@code grid}, its tables renamed from the prefix of
     * the run that wrote it to {@code prefix} (a run on a long-lived cluster names its tables with its own id: a
     * resumed run's tables are new ones, and the interrupted run's may still be declared).
     *
     * @return the epoch it was written after
     * @throws IllegalArgumentException if {@code dir} holds no complete checkpoint
     */
    static int restoreLatest(final ParameterGrid grid, final Path dir, final String prefix)
    {
        final Path latest;
        try
        {
            latest = latest(dir);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + dir.resolve(LATEST), e);
        }
        if (latest == null)
        {
            throw new IllegalArgumentException("--resume: no complete checkpoint in " + dir + " (" + LATEST +
                " is missing)");
        }
        final String written = writtenPrefix(dir);
        grid.restore(latest, name -> name.startsWith(written) ? prefix + name.substring(written.length()) : name);
        return Integer.parseInt(latest.getFileName().toString().substring("epoch-".length()));
    }

    /** @return the table prefix of the run that wrote the checkpoints in {@code dir} (none before it was recorded) */
    private static String writtenPrefix(final Path dir)
    {
        try
        {
            return Files.readString(dir.resolve(TABLE_PREFIX), StandardCharsets.UTF_8);
        }
        catch (final NoSuchFileException e)
        {
            return "";
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + dir.resolve(TABLE_PREFIX), e);
        }
    }

    private static Path latest(final Path dir) throws IOException
    {
        try
        {
            return dir.resolve(Files.readString(dir.resolve(LATEST), StandardCharsets.UTF_8).trim());
        }
        catch (final NoSuchFileException e)
        {
            return null;
        }
    }

    /**
     * Exports each of the run's tables (named with {@code prefix}, see {@link #tablesOf}) to {@code dir/<name>.npy},
     * where name is the table's name without the prefix: the files are named as in a run on embedded members.
     */
    static void export(final ParameterGrid grid, final String prefix, final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        for (final Table table : tablesOf(grid, prefix))
        {
            grid.export(table, dir.resolve(table.name().substring(prefix.length()) + ".npy"));
        }
    }

    /** Deletes {@code root} and everything below it. */
    public static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(path);
            }
        }
    }
}
