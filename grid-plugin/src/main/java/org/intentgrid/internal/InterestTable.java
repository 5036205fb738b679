package org.intentgrid.internal;

import org.agrona.collections.LongHashSet;

import java.util.Arrays;
import java.util.Map;

/**
 * The owner's view of which members want its keys now: for each requester and sync channel, the keys it asked
 * to refresh in its latest sync message. A message replaces the requester's previous view for that channel, so
 * interest ends one round after a requester stops asking (members that go quiet send one empty message).
 * <p>
 * Threading: each requester's sets are built by the thread serving its message and published whole, in a
 * copy-on-write array (a few entries: requesters times channels), so that the per-key check of every refresh
 * reads it without allocating or locking; replacing takes this table's lock.
 */
final class InterestTable
{
    private volatile View[] views = new View[0];

    /** Replaces what {@code requesterPeer} wants through {@code channel}: per table name, the keys. */
    synchronized void replace(final int requesterPeer, final int channel, final Map<String, LongHashSet> keysByTable)
    {
        final View[] current = views;
        for (int i = 0; i < current.length; i++)
        {
            if (current[i].requesterPeer == requesterPeer && current[i].channel == channel)
            {
                final View[] next = current.clone();
                next[i] = new View(requesterPeer, channel, keysByTable);
                views = next;
                return;
            }
        }
        final View[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = new View(requesterPeer, channel, keysByTable);
        views = next;
    }

    /** @return true if a member other than {@code requesterPeer} asked for the key in its latest message */
    boolean othersInterested(final String table, final long key, final int requesterPeer)
    {
        for (final View view : views)
        {
            if (view.requesterPeer != requesterPeer)
            {
                final LongHashSet keys = view.keysByTable.get(table);
                if (keys != null && keys.contains(key))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** One requester's latest message through one channel. */
    private static final class View
    {
        final int requesterPeer;
        final int channel;
        final Map<String, LongHashSet> keysByTable;

        View(final int requesterPeer, final int channel, final Map<String, LongHashSet> keysByTable)
        {
            this.requesterPeer = requesterPeer;
            this.channel = channel;
            this.keysByTable = keysByTable;
        }
    }
}
