package org.intentgrid.internal;

import java.util.ArrayDeque;

/**
 * The intents one worker signalled while its member was the cluster's only one, kept until another member joins.
 * A member alone does not register intents (every key is its own, and registering costs the sync thread a stripe
 * lock and two lookups per key); but a worker may intend keys once for a whole run, and if those intents were
 * simply dropped, a member that joins later would see no local interest in them and take their main copies away.
 * So they are held, without any per-key work, and handed to the policy when the worker next signals an intent or
 * advances its clock with another member present.
 * <p>
 * Intents whose window has closed are dropped as the worker goes: from the oldest while they have expired (windows
 * mostly close in the order they were signalled), and in a full pass whenever the held count has doubled since the
 * last one, so that out-of-order windows cannot pile up. Confined to the worker's thread.
 */
final class HeldIntents
{
    private static final int MIN_PASS_SIZE = 64;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private int passAt = MIN_PASS_SIZE;

    private record Held(TableStore store, long[] keys, long start, long end)
    {
    }

    /** Keeps an intent ({@code keys} already copied) and forgets those that closed before {@code clock}. */
    void hold(final TableStore store, final long[] keys, final long start, final long end, final long clock)
    {
        while (!held.isEmpty() && held.peekFirst().end <= clock)
        {
            held.pollFirst();
        }
        if (held.size() >= passAt)
        {
            held.removeIf(intent -> intent.end <= clock);
            passAt = Math.max(MIN_PASS_SIZE, 2 * held.size());
        }
        if (end > clock)
        {
            held.addLast(new Held(store, keys, start, end));
        }
    }

    /** @return true if nothing is held (a field read: callers check it before asking the cluster's size) */
    boolean isEmpty()
    {
        return held.isEmpty();
    }

    /** @return intents held (tests) */
    int size()
    {
        return held.size();
    }

    /**
     * Hands every held intent still open at {@code clock} (of a table not dropped since) to {@code sink}, in the
     * order they were signalled, and forgets them all.
     */
    void release(final long clock, final Sink sink)
    {
        for (final Held intent : held)
        {
            if (intent.end > clock && !intent.store.isDropped())
            {
                sink.intent(intent.store, intent.keys, intent.start, intent.end);
            }
        }
        held.clear();
        passAt = MIN_PASS_SIZE;
    }

    /** Where released intents go. */
    @FunctionalInterface
    interface Sink
    {
        void intent(TableStore store, long[] keys, long start, long end);
    }
}
