package org.intentgrid;

import org.intentgrid.internal.StoreListener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts main copies per key across all members of a JVM. A release is reported before the value leaves
 * its member and an acquire after it arrived, so the count may only exceed one if two members really held
 * the main copy at once.
 */
final class MainCopyChecker implements StoreListener
{
    private final Map<String, AtomicInteger> holders = new ConcurrentHashMap<>();
    private final AtomicLong violations = new AtomicLong();
    private final AtomicLong acquisitions = new AtomicLong();
    private volatile String firstViolation;

    static MainCopyChecker installOn(final ParameterGrid grid)
    {
        final MainCopyChecker checker = new MainCopyChecker();
        for (final GridMember member : grid.members())
        {
            member.listener(checker);
        }
        return checker;
    }

    @Override
    public void mainAcquired(final String table, final long key, final String member)
    {
        acquisitions.incrementAndGet();
        final int now = holders.computeIfAbsent(table + "/" + key, k -> new AtomicInteger()).incrementAndGet();
        if (now > 1)
        {
            violations.incrementAndGet();
            if (firstViolation == null)
            {
                firstViolation = table + " key " + key + " held by " + now + " members (latest " + member + ")";
            }
        }
    }

    @Override
    public void mainReleased(final String table, final long key, final String member)
    {
        holders.computeIfAbsent(table + "/" + key, k -> new AtomicInteger()).decrementAndGet();
    }

    long violations()
    {
        return violations.get();
    }

    long acquisitions()
    {
        return acquisitions.get();
    }

    String firstViolation()
    {
        return firstViolation;
    }

    int holders(final String table, final long key)
    {
        final AtomicInteger n = holders.get(table + "/" + key);
        return n == null ? 0 : n.get();
    }
}
