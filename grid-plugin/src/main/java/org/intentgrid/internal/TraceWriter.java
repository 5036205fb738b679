package org.intentgrid.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The optional per-key event trace of one member, as TSV: {@code epoch_ms, table, key, member, event} with
 * events {@code alloc} (main copy created or arrived), {@code dealloc} (main copy left), {@code replica_setup},
 * {@code replica_drop}, {@code intent_start} and {@code intent_end}.
 */
final class TraceWriter implements StoreListener, AutoCloseable
{
    private final BufferedWriter out;

    TraceWriter(final Path directory, final String member)
    {
        try
        {
            Files.createDirectories(directory);
            out = Files.newBufferedWriter(directory.resolve("trace." + member + ".tsv"), StandardCharsets.UTF_8);
            out.write("epoch_ms\ttable\tkey\tmember\tevent\n");
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write the key trace to " + directory, e);
        }
    }

    private synchronized void write(final String table, final long key, final String member, final String event)
    {
        try
        {
            out.write(System.currentTimeMillis() + "\t" + table + "\t" + key + "\t" + member + "\t" + event + "\n");
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write the key trace", e);
        }
    }

    @Override
    public void mainAcquired(final String table, final long key, final String member)
    {
        write(table, key, member, "alloc");
    }

    @Override
    public void mainReleased(final String table, final long key, final String member)
    {
        write(table, key, member, "dealloc");
    }

    @Override
    public void replicaSetUp(final String table, final long key, final String member)
    {
        write(table, key, member, "replica_setup");
    }

    @Override
    public void replicaDropped(final String table, final long key, final String member)
    {
        write(table, key, member, "replica_drop");
    }

    @Override
    public void intentStarted(final String table, final long key, final String member)
    {
        write(table, key, member, "intent_start");
    }

    @Override
    public void intentEnded(final String table, final long key, final String member)
    {
        write(table, key, member, "intent_end");
    }

    /** Writes out buffered events. */
    synchronized void flush()
    {
        try
        {
            out.flush();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write the key trace", e);
        }
    }

    @Override
    public synchronized void close()
    {
        try
        {
            out.close();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot close the key trace", e);
        }
    }
}
