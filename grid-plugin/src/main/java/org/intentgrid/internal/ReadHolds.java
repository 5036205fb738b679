package org.intentgrid.internal;

import org.intentgrid.TableSpec;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The keys that must not be read locally for a while after a crash or a member's leave, whichever mechanism holds
 * them: {@link RecoveryPins} at the member that recovered them, {@link ResendingKeys} at a member that sends updates
 * of them again, {@link AdoptionHolds} at a member that adopted them while a delta of its replica was on its way.
 * The local read path asks per key only while {@link #any} says one of them holds keys: one volatile
 * read per call otherwise (asking each mechanism's own flag had cost a pull+push of 16 floats 2 ns of 46).
 */
final class ReadHolds
{
    /** How many of the mechanisms hold keys now. */
    private final AtomicInteger holding = new AtomicInteger();
    final RecoveryPins pins = new RecoveryPins(this);
    final ResendingKeys resending = new ResendingKeys(this);
    final AdoptionHolds adoptions;

    /** @param maxAdoptionHoldMillis how long an {@link AdoptionHolds adoption hold} lasts at most */
    ReadHolds(final long maxAdoptionHoldMillis)
    {
        adoptions = new AdoptionHolds(this, maxAdoptionHoldMillis);
    }

    /**
     * One mechanism held keys ({@code before}) and holds keys {@code now} (or not): counts a change.
     *
     * @return {@code now}, for the mechanism's own flag
     */
    boolean changed(final boolean before, final boolean now)
    {
        if (now != before)
        {
            if (now)
            {
                holding.incrementAndGet();
            }
            else
            {
                holding.decrementAndGet();
            }
        }
        return now;
    }

    /** @return true while some keys may not be read locally: only then is {@link #unreadable} worth asking */
    boolean any()
    {
        return holding.get() > 0;
    }

    /**
     * @return true if a local copy of {@code key} of {@code table} must not be read now (the remote way waits for
     *         it: the recoverer answers WAIT, a re-sending or adopting member retries later)
     */
    boolean unreadable(final TableSpec table, final long key)
    {
        return pins.isPinned(table, key) || resending.contains(table, key) || adoptions.contains(table, key);
    }
}
