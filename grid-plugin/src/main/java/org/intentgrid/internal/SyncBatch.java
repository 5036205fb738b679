package org.intentgrid.internal;

import org.intentgrid.TableSpec;

/**
 * The entries of one table in one sync message from a requester to a member it believes owns the keys:
 * per key, a replica delta to merge and/or a request to refresh (which tells the owner the requester
 * intends the key now).
 */
public final class SyncBatch
{
    /** The entry carries a delta (in {@link #deltas}, in entry order). */
    public static final byte DELTA = 1;
    /** The requester asks for a refresh; {@link #versions} holds its replica's version (-1: placeholder). */
    public static final byte REFRESH = 2;
    /**
     * With {@link #REFRESH}: the requester's intents for the key end within two of its action windows, about the
     * time moving the main copy there would take; a replica serves such a brief use as well, without the move.
     */
    public static final byte BRIEF = 4;

    public final TableSpec spec;
    public final long[] keys;
    public final byte[] flags;
    public final float[] deltas;
    public final long[] versions;

    public SyncBatch(final TableSpec spec, final long[] keys, final byte[] flags, final float[] deltas,
        final long[] versions)
    {
        this.spec = spec;
        this.keys = keys;
        this.flags = flags;
        this.deltas = deltas;
        this.versions = versions;
    }

    /** @return payload bytes, for statistics */
    public long payloadBytes()
    {
        return 8L * keys.length + keys.length + 4L * deltas.length + 8L * versions.length;
    }
}
