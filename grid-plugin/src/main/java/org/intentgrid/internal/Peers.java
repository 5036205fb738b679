package org.intentgrid.internal;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Member ids as small ints, so that route hints fit in a primitive map. Indexes are local to this
 * member and never reused.
 */
final class Peers
{
    private final ConcurrentHashMap<UUID, Integer> indexOf = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<UUID> uuidOf = new CopyOnWriteArrayList<>();

    int index(final UUID member)
    {
        final Integer known = indexOf.get(member);
        if (known != null)
        {
            return known;
        }
        synchronized (this)
        {
            return indexOf.computeIfAbsent(member, m ->
            {
                uuidOf.add(m);
                return uuidOf.size() - 1;
            });
        }
    }

    UUID uuid(final int index)
    {
        return uuidOf.get(index);
    }
}
