package org.intentgrid.internal;

import org.agrona.collections.LongHashSet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The owner's view of which members want its keys now: for each requester and sync channel, the keys it asked
 * to refresh in its latest sync message. A message replaces the requester's previous view for that channel, so
 * interest ends one round after a requester stops asking (members that go quiet send one empty message).
 * <p>
 * Threading: each requester's sets are built by the thread serving its message and published whole; any thread
 * reads.
 */
final class InterestTable
{
    private static final int CHANNEL_BITS = 16;

    private final ConcurrentHashMap<Long, Map<String, LongHashSet>> byRequester = new ConcurrentHashMap<>();

    /** Replaces what {@code requesterPeer} wants through {@code channel}: per table name, the keys. */
    void replace(final int requesterPeer, final int channel, final Map<String, LongHashSet> keysByTable)
    {
        byRequester.put(((long)requesterPeer << CHANNEL_BITS) | channel, keysByTable);
    }

    /** @return true if a member other than {@code requesterPeer} asked for the key in its latest message */
    boolean othersInterested(final String table, final long key, final int requesterPeer)
    {
        for (final Map.Entry<Long, Map<String, LongHashSet>> entry : byRequester.entrySet())
        {
            if ((int)(entry.getKey() >>> CHANNEL_BITS) != requesterPeer)
            {
                final LongHashSet keys = entry.getValue().get(table);
                if (keys != null && keys.contains(key))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
