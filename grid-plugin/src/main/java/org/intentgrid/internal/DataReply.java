package org.intentgrid.internal;

import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The answer to a {@link DataRequest}: per key, served here or not, and if not, where to look next.
 * The requester counts served keys and re-sends the rest, so a request survives any number of
 * ownership moves without the members forwarding on its behalf.
 */
public final class DataReply
{
    /** The step was applied to the main copy at the answering member. */
    public static final byte SERVED = 0;
    /** Not here; {@code hints[i]} names where to try next, or null for "ask the key's home". */
    public static final byte MISS = 1;
    /** The key is in transit or its home is handing over: try the same route again after a pause. */
    public static final byte WAIT = 2;
    /** The key's home has no memory left to create it: the request fails with {@link #error()}. */
    public static final byte FULL = 3;
    /** The key's table was dropped: the request fails with {@link #error()}. */
    public static final byte DROPPED = 4;

    public final byte[] status;
    /** Values for served PULL and LOCALIZE keys, {@code valueLength} floats per key; else null. */
    public final float[] values;
    /** Relocation counters for served LOCALIZE keys; else null. */
    public final long[] counters;
    /** Versions of the main copies of served keys (after the step; before the move for LOCALIZE). */
    public final long[] versions;
    /** Route hints for MISS keys; null when no miss named a hint. */
    private UUID[] hints;
    /** Why a key was {@link #FULL} or {@link #DROPPED}, or null. */
    private String error;
    /** Directory entries this request changed at the home, to be sent to backups; never serialized. */
    DirectoryChunk directoryChanges;
    /** Not sent: when set, the answer may go out only once it completes (the updates reached the backup). */
    CompletableFuture<Void> backupGate;
    /** The owner's backup flush that will carry the pushes this answer acknowledges; 0 if none needs one. */
    long backupFlush;
    /** The owner's last backup flush that reached its holder when it answered. */
    long backupCompleted;
    /**
     * For main copies handed to the requester, (key, fingerprint) pairs of the remote updates their values include
     * that the owner's backup may not know yet ({@link TableStore#take}); null if none.
     */
    private long[] movedApplied;

    public DataReply(
        final byte[] status, final float[] values, final long[] counters, final long[] versions, final UUID[] hints)
    {
        this.status = status;
        this.values = values;
        this.counters = counters;
        this.versions = versions;
        this.hints = hints;
    }

    void miss(final int index, final UUID hint)
    {
        status[index] = MISS;
        if (hint != null)
        {
            if (hints == null)
            {
                hints = new UUID[status.length];
            }
            hints[index] = hint;
        }
    }

    /** Marks key {@code index} as {@link #FULL}, for the reason {@code message}. */
    public void full(final int index, final String message)
    {
        status[index] = FULL;
        error = message;
    }

    /** Marks every key as {@link #DROPPED}: the table is gone. */
    void dropped(final String table)
    {
        Arrays.fill(status, DROPPED);
        error = "table '" + table + "' was dropped";
    }

    /** Sets why keys {@link #FULL} or {@link #DROPPED} failed (a reply read from the wire, statuses already set). */
    public void error(final String message)
    {
        error = message;
    }

    /** @return why a key was {@link #FULL} or {@link #DROPPED}, or null */
    public String error()
    {
        return error;
    }

    /** @return route hints per key (null where none), or null if no key has one */
    public UUID[] hints()
    {
        return hints;
    }

    /**
     * @return completes once the updates this answer acknowledges reached this member's backup holder; the answer
     *         must not be sent earlier. Null: send it now
     */
    public CompletableFuture<Void> backupGate()
    {
        return backupGate;
    }

    /** @return the owner's backup flush that will carry the pushes this answer acknowledges; 0 if none */
    public long backupFlush()
    {
        return backupFlush;
    }

    /** @return the owner's last completed backup flush when it answered */
    public long backupCompleted()
    {
        return backupCompleted;
    }

    /** Sets the backup flush numbers (wire decoding). */
    public void backupFlushes(final long flush, final long completed)
    {
        this.backupFlush = flush;
        this.backupCompleted = completed;
    }

    /** @return for LOCALIZE, (key, fingerprint) pairs of the updates the moved values include, or null */
    public long[] movedApplied()
    {
        return movedApplied;
    }

    /** Sets the (key, fingerprint) pairs of the updates the moved values include (serving, or wire decoding). */
    public void movedApplied(final long[] pairs)
    {
        this.movedApplied = pairs;
    }

    /** @return directory entries this request changed at the home, for the backup operation; null if none */
    public DirectoryChunk directoryChanges()
    {
        return directoryChanges;
    }

    /** @return route hint for key {@code index}, or null */
    public UUID hint(final int index)
    {
        return hints == null ? null : hints[index];
    }

    /** @return payload bytes of this reply, for statistics */
    public long payloadBytes()
    {
        return status.length + (values == null ? 0 : 4L * values.length) +
            (counters == null ? 0 : 8L * counters.length) + (versions == null ? 0 : 8L * versions.length);
    }
}
