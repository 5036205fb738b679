package org.intentgrid.internal;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** The owner's answer to a {@link SyncBatch}, entry by entry. */
public final class SyncBatchReply
{
    /** The entry was handled by the main copy (delta merged, refresh decided). Without it: a miss. */
    public static final byte SERVED = 1;
    /** A value follows in {@link #values} (in entry order), with the main copy's version in {@link #versions}. */
    public static final byte VALUE = 2;
    /** The main copy was relocated to the requester, with relocation counter {@link #counters}. */
    public static final byte RELOCATE = 4;

    public final byte[] status;
    public final float[] values;
    public final long[] versions;
    public final long[] counters;
    /** For misses: where to look next, or null (ask the home). */
    public final UUID[] hints;
    /** Not sent: when set, the answer may go out only once it completes (the merged deltas reached the backup). */
    CompletableFuture<Void> backupGate;

    public SyncBatchReply(
        final byte[] status, final float[] values, final long[] versions, final long[] counters, final UUID[] hints)
    {
        this.status = status;
        this.values = values;
        this.versions = versions;
        this.counters = counters;
        this.hints = hints;
    }

    /** @return completes once the deltas merged for this answer reached the backup holder; null: send it now */
    public CompletableFuture<Void> backupGate()
    {
        return backupGate;
    }

    /** @return payload bytes, for statistics */
    public long payloadBytes()
    {
        return status.length + 4L * values.length + 8L * versions.length + 8L * counters.length;
    }
}
