package org.intentgrid;

import org.intentgrid.internal.CheckpointPart;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * Checkpoints and model export. A checkpoint directory holds one part file per table per member (written by the
 * member, see {@link CheckpointPart}) and {@value #MANIFEST}, written last and atomically: the tables' specs and,
 * per part, its key count, size and CRC32C. A directory without a manifest is an unfinished checkpoint. Restoring
 * checks every part in full before it loads anything, then sets each key through a worker, so the grid restored
 * into may have any number of members. Export writes one table as a NumPy {@code .npy} file, row = key.
 */
final class Checkpoints
{
    static final String MANIFEST = "manifest.properties";
    private static final String FORMAT = "intentgrid-checkpoint-1";
    private static final int BATCH = 4096;
    private static final int BUFFER_BYTES = 1 << 16;
    private static final int NPY_ALIGNMENT = 64;

    private Checkpoints()
    {
    }

    /** Writes a checkpoint of {@code specs} (null: every declared table) through {@code coordinator}'s cluster. */
    static void checkpoint(final GridMember coordinator, final Path directory, final List<TableSpec> only)
    {
        final List<TableSpec> specs = only == null ? TableRegistry.all(coordinator.hazelcast()) : only;
        final Path dir = directory.toAbsolutePath();
        try
        {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(MANIFEST));
            final List<List<CheckpointPart>> parts = coordinator.checkpointCluster(dir.toString(), specs);
            final Properties manifest = new Properties();
            manifest.setProperty("format", FORMAT);
            manifest.setProperty("tables", String.valueOf(specs.size()));
            for (int t = 0; t < specs.size(); t++)
            {
                manifest.setProperty("table." + t + ".name", specs.get(t).name());
                manifest.setProperty("table." + t + ".spec", TableRegistry.encode(specs.get(t)));
                manifest.setProperty("table." + t + ".parts", String.valueOf(parts.get(t).size()));
                for (int p = 0; p < parts.get(t).size(); p++)
                {
                    manifest.setProperty("table." + t + ".part." + p, parts.get(t).get(p).encode());
                }
            }
            final Path temporary = dir.resolve(MANIFEST + ".tmp");
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8))
            {
                manifest.store(out, "intentgrid checkpoint; written after every part");
            }
            Files.move(temporary, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write a checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** One table of a checkpoint, as its manifest lists it. */
    private static final class TablePlan
    {
        final TableSpec spec;
        final List<CheckpointPart> parts = new ArrayList<>();

        TablePlan(final TableSpec spec)
        {
            this.spec = spec;
        }
    }

    /**
     * Loads a checkpoint into {@code grid}: declares its tables under the names {@code tableNames} gives, with
     * {@code reset} sets every key they hold now to its initial value, and sets every key the checkpoint holds.
     *
     * @throws IllegalArgumentException if the directory holds no complete, intact checkpoint, or {@code tableNames}
     *                                  maps a table to an invalid name or two tables to one (nothing is loaded)
     */
    static void restore(final ParameterGrid grid, final Path directory, final boolean reset,
        final UnaryOperator<String> tableNames)
    {
        final Path dir = directory.toAbsolutePath();
        final List<TablePlan> plans = readManifest(dir);
        for (final TablePlan plan : plans)
        {
            for (final CheckpointPart part : plan.parts)
            {
                verify(dir, plan.spec, part);
            }
        }
        final List<Table> tables = new ArrayList<>();
        final List<TableSpec> declared = new ArrayList<>();
        for (final TableSpec spec : renamed(plans, tableNames))
        {
            final Table table = grid.table(spec);
            tables.add(table);
            declared.add(table.spec());
        }
        if (reset)
        {
            grid.anyMember().resetCluster(declared);
        }
        try (ParameterWorker worker = grid.worker())
        {
            for (int t = 0; t < plans.size(); t++)
            {
                for (final CheckpointPart part : plans.get(t).parts)
                {
                    load(worker, plans.get(t).spec, tables.get(t), dir.resolve(part.file));
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read the checkpoint in " + dir + ": " + e.getMessage(), e);
        }
        if (reset)
        {
            // replicas elsewhere still hold values from before: refreshed or dropped once every member synced
            grid.anyMember().syncCluster();
        }
    }

    /** @return the checkpoint's table specs under their new names, checked before anything is declared */
    private static List<TableSpec> renamed(final List<TablePlan> plans, final UnaryOperator<String> tableNames)
    {
        final List<TableSpec> specs = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        for (final TablePlan plan : plans)
        {
            final String name = tableNames.apply(plan.spec.name());
            final TableSpec spec;
            try
            {
                spec = TableSpec.of(name, plan.spec.size(), plan.spec.valueLength()).init(plan.spec.init());
            }
            catch (final IllegalArgumentException e)
            {
                throw new IllegalArgumentException("restore: the checkpoint's table '" + plan.spec.name() +
                    "' would be named '" + name + "': " + e.getMessage(), e);
            }
            if (!names.add(name))
            {
                throw new IllegalArgumentException("restore: two of the checkpoint's tables would be named '" + name +
                    "'; expected a distinct name for each of " + plans.size());
            }
            specs.add(spec);
        }
        return specs;
    }

    private static List<TablePlan> readManifest(final Path dir)
    {
        final Properties manifest = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve(MANIFEST), StandardCharsets.UTF_8))
        {
            manifest.load(in);
        }
        catch (final NoSuchFileException e)
        {
            throw new IllegalArgumentException("no checkpoint in " + dir + ": " + MANIFEST + " is missing (a " +
                "checkpoint that did not finish has none)", e);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read " + dir.resolve(MANIFEST), e);
        }
        if (!FORMAT.equals(manifest.getProperty("format")))
        {
            throw new IllegalArgumentException(dir.resolve(MANIFEST) + " has format '" +
                manifest.getProperty("format") + "'; expected '" + FORMAT + "'");
        }
        final List<TablePlan> plans = new ArrayList<>();
        try
        {
            final int tables = Integer.parseInt(manifest.getProperty("tables"));
            for (int t = 0; t < tables; t++)
            {
                final TablePlan plan = new TablePlan(TableRegistry.decode(
                    manifest.getProperty("table." + t + ".name"), manifest.getProperty("table." + t + ".spec")));
                final int parts = Integer.parseInt(manifest.getProperty("table." + t + ".parts"));
                for (int p = 0; p < parts; p++)
                {
                    plan.parts.add(CheckpointPart.decode(manifest.getProperty("table." + t + ".part." + p)));
                }
                plans.add(plan);
            }
        }
        catch (final RuntimeException e)
        {
            throw new IllegalArgumentException(dir.resolve(MANIFEST) + " is damaged: " + e, e);
        }
        return plans;
    }

    /** Reads a part in full: size, header and CRC as the manifest says. */
    private static void verify(final Path dir, final TableSpec spec, final CheckpointPart part)
    {
        final Path file = dir.resolve(part.file);
        try
        {
            final long size = Files.size(file);
            if (size != part.bytes)
            {
                throw new IllegalArgumentException("checkpoint part " + file + " has " + size + " bytes; the " +
                    "manifest says " + part.bytes + " (truncated or replaced)");
            }
            final CRC32C crc = new CRC32C();
            try (InputStream raw = Files.newInputStream(file);
                CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(raw, BUFFER_BYTES), crc);
                DataInputStream in = new DataInputStream(checked))
            {
                final long keys = readHeader(in, spec, file);
                if (keys != part.keys)
                {
                    throw new IllegalArgumentException("checkpoint part " + file + " holds " + keys + " keys; the " +
                        "manifest says " + part.keys);
                }
                final byte[] buffer = new byte[BUFFER_BYTES];
                long left = keys * CheckpointPart.recordBytes(spec.valueLength());
                while (left > 0)
                {
                    final int n = in.read(buffer, 0, (int)Math.min(buffer.length, left));
                    if (n < 0)
                    {
                        throw new EOFException();
                    }
                    left -= n;
                }
                final long content = crc.getValue();
                final long trailer = Integer.toUnsignedLong(in.readInt());
                if (content != trailer || content != part.crc)
                {
                    throw new IllegalArgumentException("checkpoint part " + file + " is corrupt: CRC32C of its " +
                        "content is " + Long.toHexString(content) + ", its trailer says " + Long.toHexString(trailer) +
                        " and the manifest " + Long.toHexString(part.crc));
                }
            }
        }
        catch (final NoSuchFileException e)
        {
            throw new IllegalArgumentException("checkpoint part " + file + " is missing", e);
        }
        catch (final EOFException e)
        {
            throw new IllegalArgumentException("checkpoint part " + file + " ends early (truncated)", e);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read checkpoint part " + file, e);
        }
    }

    private static long readHeader(final DataInputStream in, final TableSpec spec, final Path file)
        throws IOException
    {
        final long magic = in.readLong();
        final String table = in.readUTF();
        final int length = in.readInt();
        if (magic != CheckpointPart.MAGIC || !table.equals(spec.name()) || length != spec.valueLength())
        {
            throw new IllegalArgumentException("checkpoint part " + file + " is not a part of table '" +
                spec.name() + "' with " + spec.valueLength() + " floats per key (found table '" + table + "', " +
                length + " floats)");
        }
        return in.readLong();
    }

    /** Loads a part of the checkpoint's table {@code written} into {@code table} (the same, or it renamed). */
    private static void load(final ParameterWorker worker, final TableSpec written, final Table table, final Path file)
        throws IOException
    {
        final int length = table.valueLength();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file),
            BUFFER_BYTES)))
        {
            long remaining = readHeader(in, written, file);
            final int recordBytes = CheckpointPart.recordBytes(length);
            final byte[] bytes = new byte[BATCH * recordBytes];
            final ByteBuffer records = ByteBuffer.wrap(bytes);
            while (remaining > 0)
            {
                final int n = (int)Math.min(BATCH, remaining);
                in.readFully(bytes, 0, n * recordBytes);
                records.clear();
                final long[] keys = new long[n];
                final float[] values = new float[n * length];
                for (int i = 0; i < n; i++)
                {
                    keys[i] = records.getLong();
                    for (int e = 0; e < length; e++)
                    {
                        values[i * length + e] = records.getFloat();
                    }
                }
                worker.set(table, keys, values).await();
                remaining -= n;
            }
        }
    }

    /** Writes every key of {@code table} as a NumPy array of shape (keys, floats per key), little-endian float32. */
    static void export(final ParameterGrid grid, final Table table, final Path file)
    {
        final long size = table.size();
        final int length = table.valueLength();
        final String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + size + ", " + length + "), }";
        final int unpadded = 10 + dict.length() + 1;
        final int padding = (NPY_ALIGNMENT - unpadded % NPY_ALIGNMENT) % NPY_ALIGNMENT;
        final byte[] header = (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER_BYTES);
            ParameterWorker worker = grid.worker())
        {
            out.write(new byte[] {(byte)0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            out.write(header.length & 0xFF);
            out.write(header.length >>> 8);
            out.write(header);
            final ByteBuffer bytes = ByteBuffer.allocate(BATCH * length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (long first = 0; first < size; first += BATCH)
            {
                final int n = (int)Math.min(BATCH, size - first);
                final long[] keys = new long[n];
                for (int i = 0; i < n; i++)
                {
                    keys[i] = first + i;
                }
                final float[] values = new float[n * length];
                worker.pull(table, keys, values).await();
                bytes.clear();
                bytes.asFloatBuffer().put(values);
                out.write(bytes.array(), 0, n * length * Float.BYTES);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot export table '" + table.name() + "' to " + file + ": " +
                e.getMessage(), e);
        }
    }
}
