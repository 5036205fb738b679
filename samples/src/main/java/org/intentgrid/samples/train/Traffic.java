package org.intentgrid.samples.train;

import org.intentgrid.GridMember;
import org.intentgrid.GridStats;
import org.intentgrid.ParameterGrid;

import java.io.Serializable;

/** Cumulative access counters of some members: keys accessed, of them local, and payload bytes sent. */
record Traffic(long accessed, long local, long bytesSent) implements Serializable
{
    static final Traffic ZERO = new Traffic(0, 0, 0);

    /** @return the counters of the grid's members in this JVM (worker traffic plus sync rounds) */
    static Traffic of(final ParameterGrid grid)
    {
        final GridStats stats = grid.stats();
        long syncBytes = 0;
        for (final GridMember member : grid.members())
        {
            syncBytes += member.syncStats().bytesSent();
        }
        return new Traffic(stats.keysAccessed(), stats.keysLocal(), stats.bytesSent() + syncBytes);
    }

    Traffic plus(final Traffic other)
    {
        return new Traffic(accessed + other.accessed, local + other.local, bytesSent + other.bytesSent);
    }

    Traffic minus(final Traffic other)
    {
        return new Traffic(accessed - other.accessed, local - other.local, bytesSent - other.bytesSent);
    }

    /** @return share of accesses served locally, 1 when there were none */
    double localShare()
    {
        return accessed == 0 ? 1.0 : (double)local / accessed;
    }
}
