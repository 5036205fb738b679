package org.intentgrid.internal;

import org.intentgrid.TableSpec;

import java.util.UUID;

/**
 * One batched request to one member (or one home partition): the same kind of step on many keys of one
 * table. Carries the full table spec so that a member that has never seen the table can serve it.
 */
public final class DataRequest
{
    /** The table; null only for {@link RequestKind#RECOVERED}, which is about a member. */
    public final TableSpec spec;
    public final RequestKind kind;
    public final long[] keys;
    /** {@code keys.length * valueLength} floats for PUSH, SET, ADOPT, BACKUP and BACKUP_RESET; otherwise null. */
    public final float[] values;
    /** Relocation counters for ADOPT, NOTICE, CLAIM, BACKUP and BACKUP_RESET; otherwise null. */
    public final long[] counters;
    /** The new owner for NOTICE, the lost member for CLAIM and RECOVERED; otherwise null. */
    public final UUID subject;
    /** Versions of the main copies for ADOPT, BACKUP and BACKUP_RESET; otherwise null. */
    public final long[] versions;
    /**
     * For PUSH and SET, the id of the worker call (the same in each retry), so that an owner applies it to a key
     * once ({@link AppliedRequests}); 0 for none.
     */
    public final long requestId;
    /**
     * For BACKUP and BACKUP_RESET, fingerprints of the remote updates the values include; for ADOPT, (key, fingerprint)
     * pairs of those the leaver's backup may not know yet ({@link TableStore#take}); otherwise null.
     */
    public final long[] applied;

    public DataRequest(
        final TableSpec spec, final RequestKind kind, final long[] keys, final float[] values, final long[] counters,
        final UUID subject)
    {
        this(spec, kind, keys, values, counters, subject, null);
    }

    public DataRequest(
        final TableSpec spec, final RequestKind kind, final long[] keys, final float[] values, final long[] counters,
        final UUID subject, final long[] versions)
    {
        this(spec, kind, keys, values, counters, subject, versions, 0, null);
    }

    public DataRequest(
        final TableSpec spec, final RequestKind kind, final long[] keys, final float[] values, final long[] counters,
        final UUID subject, final long[] versions, final long requestId, final long[] applied)
    {
        this.requestId = requestId;
        this.applied = applied;
        this.spec = spec;
        this.kind = kind;
        this.keys = keys;
        this.values = values;
        this.counters = counters;
        this.subject = subject;
        this.versions = versions;
    }

    /** @return payload bytes of this request, for statistics */
    public long payloadBytes()
    {
        return 8L * keys.length + (values == null ? 0 : 4L * values.length) +
            (counters == null ? 0 : 8L * counters.length);
    }
}
