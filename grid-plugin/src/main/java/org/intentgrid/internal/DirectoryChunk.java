package org.intentgrid.internal;

import java.util.UUID;

/** Directory entries of one table in one partition: the unit of backup and migration. */
public final class DirectoryChunk
{
    public final String table;
    public final long[] keys;
    public final UUID[] owners;
    public final long[] counters;

    public DirectoryChunk(final String table, final long[] keys, final UUID[] owners, final long[] counters)
    {
        this.table = table;
        this.keys = keys;
        this.owners = owners;
        this.counters = counters;
    }
}
