package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import org.intentgrid.Init;
import org.intentgrid.TableSpec;
import org.intentgrid.internal.DataReply;
import org.intentgrid.internal.DataRequest;
import org.intentgrid.internal.DirectoryChunk;
import org.intentgrid.internal.RequestKind;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** Binary encoding of the grid's messages inside Hazelcast operations. */
final class Wire
{
    private Wire()
    {
    }

    static void writeSpec(final ObjectDataOutput out, final TableSpec spec) throws IOException
    {
        out.writeString(spec.name());
        out.writeLong(spec.size());
        out.writeInt(spec.valueLength());
        out.writeByte(spec.init().kind().ordinal());
        out.writeDouble(spec.init().a());
        out.writeDouble(spec.init().b());
        out.writeLong(spec.init().seed());
        out.writeInt(spec.incarnation());
    }

    static TableSpec readSpec(final ObjectDataInput in) throws IOException
    {
        final String name = in.readString();
        final long size = in.readLong();
        final int valueLength = in.readInt();
        final Init.Kind kind = Init.Kind.values()[in.readByte()];
        final double a = in.readDouble();
        final double b = in.readDouble();
        final long seed = in.readLong();
        final int incarnation = in.readInt();
        return TableSpec.of(name, size, valueLength).init(Init.of(kind, a, b, seed)).incarnation(incarnation);
    }

    /**
     * Writes the value arrays of a message after everything else in it, the smallest first. Hazelcast grows its
     * output buffer to double its size, or to exactly what a larger write needs; a sync message's deltas or values
     * (up to a few MB) written last thus land in one exact growth, where any write after them would double the
     * buffer and copy them again.
     */
    static void writeFloatArraysLast(final ObjectDataOutput out, final float[][] arrays) throws IOException
    {
        final Integer[] order = new Integer[arrays.length];
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> arrays[i].length));
        for (final int i : order)
        {
            out.writeInt(i);
            out.writeFloatArray(arrays[i]);
        }
    }

    /** Reads what {@link #writeFloatArraysLast} wrote, in the original order. */
    static float[][] readFloatArraysLast(final ObjectDataInput in, final int count) throws IOException
    {
        final float[][] arrays = new float[count][];
        for (int n = 0; n < count; n++)
        {
            final int i = in.readInt();
            if (i < 0 || i >= count || arrays[i] != null)
            {
                throw new IOException("corrupt message: value array index " + i + " of " + count);
            }
            arrays[i] = in.readFloatArray();
        }
        return arrays;
    }

    static void writeUuid(final ObjectDataOutput out, final UUID uuid) throws IOException
    {
        out.writeBoolean(uuid != null);
        if (uuid != null)
        {
            out.writeLong(uuid.getMostSignificantBits());
            out.writeLong(uuid.getLeastSignificantBits());
        }
    }

    static UUID readUuid(final ObjectDataInput in) throws IOException
    {
        return in.readBoolean() ? new UUID(in.readLong(), in.readLong()) : null;
    }

    static void writeRequest(final ObjectDataOutput out, final DataRequest request) throws IOException
    {
        out.writeBoolean(request.spec != null);
        if (request.spec != null)
        {
            writeSpec(out, request.spec);
        }
        out.writeByte(request.kind.code());
        out.writeLongArray(request.keys);
        out.writeFloatArray(request.values);
        out.writeLongArray(request.counters);
        writeUuid(out, request.subject);
        out.writeLongArray(request.versions);
        out.writeLong(request.requestId);
        out.writeLongArray(request.applied);
    }

    static DataRequest readRequest(final ObjectDataInput in) throws IOException
    {
        final TableSpec spec = in.readBoolean() ? readSpec(in) : null;
        return new DataRequest(spec, RequestKind.fromCode(in.readByte()), in.readLongArray(), in.readFloatArray(),
            in.readLongArray(), readUuid(in), in.readLongArray(), in.readLong(), in.readLongArray());
    }

    static void writeReply(final ObjectDataOutput out, final DataReply reply) throws IOException
    {
        out.writeByteArray(reply.status);
        out.writeFloatArray(reply.values);
        out.writeLongArray(reply.counters);
        out.writeLongArray(reply.versions);
        out.writeBoolean(reply.hints() != null);
        if (reply.hints() != null)
        {
            for (final UUID hint : reply.hints())
            {
                writeUuid(out, hint);
            }
        }
        out.writeString(reply.error());
        out.writeLong(reply.backupFlush());
        out.writeLong(reply.backupCompleted());
        out.writeLongArray(reply.movedApplied());
    }

    static DataReply readReply(final ObjectDataInput in) throws IOException
    {
        final byte[] status = in.readByteArray();
        final float[] values = in.readFloatArray();
        final long[] counters = in.readLongArray();
        final long[] versions = in.readLongArray();
        UUID[] hints = null;
        if (in.readBoolean())
        {
            hints = new UUID[status.length];
            for (int i = 0; i < hints.length; i++)
            {
                hints[i] = readUuid(in);
            }
        }
        final DataReply reply = new DataReply(status, values, counters, versions, hints);
        reply.error(in.readString());
        reply.backupFlushes(in.readLong(), in.readLong());
        reply.movedApplied(in.readLongArray());
        return reply;
    }

    static void writeChunks(final ObjectDataOutput out, final List<DirectoryChunk> chunks) throws IOException
    {
        out.writeInt(chunks.size());
        for (final DirectoryChunk chunk : chunks)
        {
            out.writeString(chunk.table);
            out.writeLongArray(chunk.keys);
            out.writeLongArray(chunk.counters);
            for (final UUID owner : chunk.owners)
            {
                writeUuid(out, owner);
            }
        }
    }

    static List<DirectoryChunk> readChunks(final ObjectDataInput in) throws IOException
    {
        final int n = in.readInt();
        final List<DirectoryChunk> chunks = new ArrayList<>(n);
        for (int c = 0; c < n; c++)
        {
            final String table = in.readString();
            final long[] keys = in.readLongArray();
            final long[] counters = in.readLongArray();
            final UUID[] owners = new UUID[keys.length];
            for (int i = 0; i < owners.length; i++)
            {
                owners[i] = readUuid(in);
            }
            chunks.add(new DirectoryChunk(table, keys, owners, counters));
        }
        return chunks;
    }
}
