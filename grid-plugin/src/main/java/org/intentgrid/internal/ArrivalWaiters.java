package org.intentgrid.internal;

import java.util.Arrays;

/**
 * The remote requests of local workers that wait for one key to arrive here instead of fetching it themselves:
 * the key is a placeholder whose refresh is in flight in a sync round, so the owner's answer (a replica's value
 * or the main copy itself) is already on its way, sooner than a new remote request could bring it, and without
 * chasing a main copy that may be moving here at that very moment.
 * <p>
 * Kept in the key's {@link Stripe} while the refresh is in flight and changed only under the stripe's lock;
 * {@link #release()} runs after the lock is released, because it re-dispatches the requests, which take stripe
 * locks themselves.
 */
final class ArrivalWaiters
{
    /** Marks a refresh in flight that no request waits for yet (most of them), without allocating. */
    static final ArrivalWaiters NONE = new ArrivalWaiters();

    private RemoteRequest[] requests = new RemoteRequest[2];
    private int[] indexes = new int[2];
    private int size;

    /** @return the list to store for the key after adding a waiter to {@code current} ({@link #NONE} or a list) */
    static ArrivalWaiters add(final ArrivalWaiters current, final RemoteRequest request, final int index)
    {
        final ArrivalWaiters list = current == NONE ? new ArrivalWaiters() : current;
        if (list.size == list.requests.length)
        {
            list.requests = Arrays.copyOf(list.requests, list.size * 2);
            list.indexes = Arrays.copyOf(list.indexes, list.size * 2);
        }
        list.requests[list.size] = request;
        list.indexes[list.size] = index;
        list.size++;
        return list;
    }

    /** Sends each waiting key on its way again: served locally if it arrived, else remotely. */
    void release()
    {
        for (int i = 0; i < size; i++)
        {
            requests[i].arrived(indexes[i]);
        }
    }
}
