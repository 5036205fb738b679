package org.intentgrid.internal;

import java.util.UUID;

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
    /** The owner's backup flush that will carry the deltas merged for this answer; 0 if none needs one. */
    long backupFlush;
    /** The owner's last backup flush that reached its holder when it answered. */
    long backupCompleted;
    /**
     * For main copies handed to the requester, (key, fingerprint) pairs of the remote updates their values include
     * that the owner's backup may not know yet ({@link TableStore#take}); null if none.
     */
    private long[] movedApplied;

    public SyncBatchReply(
        final byte[] status, final float[] values, final long[] versions, final long[] counters, final UUID[] hints)
    {
        this.status = status;
        this.values = values;
        this.versions = versions;
        this.counters = counters;
        this.hints = hints;
    }

    /** @return the owner's backup flush that will carry the deltas merged for this answer; 0 if none */
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

    /** @return for relocated entries, (key, fingerprint) pairs of the updates the moved values include, or null */
    public long[] movedApplied()
    {
        return movedApplied;
    }

    /** Sets the (key, fingerprint) pairs of the updates the moved values include (serving, or wire decoding). */
    public void movedApplied(final long[] pairs)
    {
        this.movedApplied = pairs;
    }

    /** @return payload bytes, for statistics */
    public long payloadBytes()
    {
        return status.length + 4L * values.length + 8L * versions.length + 8L * counters.length;
    }
}
