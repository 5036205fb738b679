package org.intentgrid.core;

import org.intentgrid.TableSpec;

import java.util.UUID;

/**
 * One batched request to one member (or one home partition): the same kind of step on many keys of one
 * table. Carries the full table spec so that a member that has never seen the table can serve it.
 */
public final class DataRequest
{
    /** Read the main copy's value. */
    public static final byte PULL = 0;
    /** Add to the main copy's value. */
    public static final byte PUSH = 1;
    /** Overwrite the main copy's value. */
    public static final byte SET = 2;
    /** Move the main copy to the caller: the answer carries value and relocation counter. */
    public static final byte LOCALIZE = 3;
    /** Take over main copies (value and counter given) from a member that leaves. */
    public static final byte ADOPT = 4;
    /** Tell the home that {@link #subject} now owns the keys, with the given relocation counters. */
    public static final byte NOTICE = 5;

    public final TableSpec spec;
    public final byte kind;
    public final long[] keys;
    /** {@code keys.length * valueLength} floats for PUSH, SET and ADOPT; otherwise null. */
    public final float[] values;
    /** Relocation counters for ADOPT and NOTICE; otherwise null. */
    public final long[] counters;
    /** The new owner for NOTICE; otherwise null. */
    public final UUID subject;
    /** Versions of the main copies for ADOPT; otherwise null. */
    public final long[] versions;

    public DataRequest(
        final TableSpec spec, final byte kind, final long[] keys, final float[] values, final long[] counters,
        final UUID subject)
    {
        this(spec, kind, keys, values, counters, subject, null);
    }

    public DataRequest(
        final TableSpec spec, final byte kind, final long[] keys, final float[] values, final long[] counters,
        final UUID subject, final long[] versions)
    {
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

    /** @return a short name of a kind, for messages */
    public static String kindName(final byte kind)
    {
        switch (kind)
        {
            case PULL: return "pull";
            case PUSH: return "push";
            case SET: return "set";
            case LOCALIZE: return "localize";
            case ADOPT: return "adopt";
            case NOTICE: return "notice";
            default: return "kind-" + kind;
        }
    }
}
