package org.intentgrid.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many of the mechanisms that keep some keys unread after a crash hold any now ({@link RecoveryPins} at the
 * recoverer, {@link ResendingKeys} at a requester): the local read path asks them per key only while one does,
 * at the cost of one volatile read per call otherwise (two flags had cost a pull+push of 16 floats 2 ns of 46).
 */
final class ReadHolds
{
    private final AtomicInteger holding = new AtomicInteger();

    /** One mechanism began to hold keys. */
    void held()
    {
        holding.incrementAndGet();
    }

    /** One mechanism holds no key any more. */
    void released()
    {
        holding.decrementAndGet();
    }

    /** @return true while some keys may not be read locally */
    boolean any()
    {
        return holding.get() > 0;
    }
}
