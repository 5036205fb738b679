package org.intentgrid.internal;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * One member's share of one table in a checkpoint: the file with the main copies it held, and what the coordinator
 * needs to check and list it in the manifest. The file is {@link #MAGIC}, the table name, floats per key, the key
 * count, then per key its number and value (big-endian), then the CRC32C of everything before it.
 */
public final class CheckpointPart
{
    /** First bytes of every part file, with the format version. */
    public static final long MAGIC = 0x4947434B50543031L;
    private static final int BUFFER_BYTES = 1 << 16;
    /** Records gathered before one write: bulk writes let the CRC and the copy run over whole arrays. */
    public static final int RECORDS_PER_WRITE = 1024;

    public final String table;
    public final String file;
    public final long keys;
    public final long bytes;
    public final long crc;
    /** Keys this member's home directory records for the table: the cluster's sum must equal all parts' keys. */
    public final long directoryEntries;

    public CheckpointPart(final String table, final String file, final long keys, final long bytes, final long crc,
        final long directoryEntries)
    {
        this.table = table;
        this.file = file;
        this.keys = keys;
        this.bytes = bytes;
        this.crc = crc;
        this.directoryEntries = directoryEntries;
    }

    /** @return a member's answer to a {@link CheckpointPhase#RESET}: the keys it reset, no file */
    static CheckpointPart reset(final String table, final long keysReset, final long directoryEntries)
    {
        return new CheckpointPart(table, "", keysReset, 0, 0, directoryEntries);
    }

    /** @return bytes of one key's record: its number and its floats */
    public static int recordBytes(final int valueLength)
    {
        return Long.BYTES + Float.BYTES * valueLength;
    }

    /** @return this part as one line, for the wire */
    public String encode()
    {
        return table + '\t' + file + '\t' + keys + '\t' + bytes + '\t' + crc + '\t' + directoryEntries;
    }

    /** @return the part {@link #encode} wrote */
    public static CheckpointPart decode(final String line)
    {
        final String[] f = line.split("\t");
        return new CheckpointPart(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
            Long.parseLong(f[5]));
    }

    /**
     * Writes the main copies {@code store} holds here to {@code dir/file}, one stripe at a time under its lock.
     *
     * @return the part written
     */
    static CheckpointPart write(final TableStore store, final Path dir, final String file,
        final long directoryEntries) throws IOException
    {
        final Path path = dir.resolve(file);
        final CRC32C crc = new CRC32C();
        final long[] mainKeys = store.mainKeys();
        final long content;
        try (OutputStream raw = Files.newOutputStream(path);
            CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, BUFFER_BYTES), crc);
            DataOutputStream out = new DataOutputStream(checked))
        {
            out.writeLong(MAGIC);
            out.writeUTF(store.spec().name());
            out.writeInt(store.valueLength());
            out.writeLong(mainKeys.length);
            final float[] value = new float[store.valueLength()];
            final ByteBuffer records = ByteBuffer.allocate(RECORDS_PER_WRITE * recordBytes(store.valueLength()));
            for (final long key : mainKeys)
            {
                if (!store.copyMain(key, value))
                {
                    throw new IllegalStateException("main copy of key " + key + " of table '" + store.spec().name() +
                        "' left while a checkpoint was written; checkpoint a grid whose workers are idle");
                }
                records.putLong(key);
                for (final float element : value)
                {
                    records.putFloat(element);
                }
                if (!records.hasRemaining())
                {
                    out.write(records.array(), 0, records.position());
                    records.clear();
                }
            }
            out.write(records.array(), 0, records.position());
            out.flush();
            content = crc.getValue();
            out.writeInt((int)content);
        }
        return new CheckpointPart(store.spec().name(), file, mainKeys.length, Files.size(path), content,
            directoryEntries);
    }
}
