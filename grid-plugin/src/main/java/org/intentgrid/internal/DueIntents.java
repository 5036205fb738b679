package org.intentgrid.internal;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.intentgrid.spi.DueIntentSink;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The intents one collect pass of the policy found due, reduced to one per table, worker and key with the latest
 * end. Registering an intent takes the key's stripe lock and two lookups; w2v and kge name their frequent keys (common
 * words, relations) in many intents that fall due in the same pass, and only the latest end of each counts.
 * <p>
 * Confined to the sync thread; its maps are kept and emptied between passes, so a pass allocates nothing once they
 * have grown to the pass size, and a drain visits the keys collected, not the map's capacity: the sync thread drains
 * at every wake-up, mostly a few keys, into maps that kge's larger passes grew (iterating whole maps took ~5% of its
 * time).
 */
final class DueIntents implements DueIntentSink
{
    private static final long NO_END = -1;
    /** A map grown past this after an unusually large pass is dropped rather than cleared at every pass after it. */
    private static final int MAX_KEPT_CAPACITY = 1 << 14;

    private final Map<Object, Ends[]> byTable = new IdentityHashMap<>();
    /**
     * The map of the last (table, worker) seen, as a policy hands each intent's keys in a row; null table: nothing
     * collected since the last drain.
     */
    private Object lastTable;
    private int lastWorker;
    private Ends lastEnds;

    /** The latest end of each key collected for one table and worker since the last drain. */
    private static final class Ends
    {
        final Long2LongHashMap endOfKey = new Long2LongHashMap(NO_END);
        /** The keys of {@link #endOfKey}, in the order first collected. */
        final LongArrayList keys = new LongArrayList();

        void forget()
        {
            if (keys.size() * 4 >= endOfKey.capacity())
            {
                endOfKey.clear();
            }
            else
            {
                for (int i = 0; i < keys.size(); i++)
                {
                    endOfKey.remove(keys.getLong(i));
                }
            }
            keys.clear();
        }
    }

    @Override
    public void due(final Object table, final long key, final int worker, final long end)
    {
        if (table != lastTable || worker != lastWorker)
        {
            lastEnds = ends(table, worker);
            lastTable = table;
            lastWorker = worker;
        }
        final long previous = lastEnds.endOfKey.put(key, end);
        if (previous == NO_END)
        {
            lastEnds.keys.addLong(key);
        }
        else if (previous > end)
        {
            lastEnds.endOfKey.put(key, previous);
        }
    }

    private Ends ends(final Object table, final int worker)
    {
        Ends[] perWorker = byTable.get(table);
        if (perWorker == null || perWorker.length <= worker)
        {
            perWorker = perWorker == null ? new Ends[worker + 1] : Arrays.copyOf(perWorker, worker + 1);
            byTable.put(table, perWorker);
        }
        if (perWorker[worker] == null)
        {
            perWorker[worker] = new Ends();
        }
        return perWorker[worker];
    }

    /** Hands each collected (table, worker, key) once, with its latest end, to {@code sink}, and forgets them. */
    void drainTo(final DueIntentSink sink)
    {
        if (lastTable == null)
        {
            return;
        }
        lastTable = null;
        for (final Map.Entry<Object, Ends[]> entry : byTable.entrySet())
        {
            final Object table = entry.getKey();
            final Ends[] perWorker = entry.getValue();
            for (int worker = 0; worker < perWorker.length; worker++)
            {
                final Ends ends = perWorker[worker];
                if (ends != null && !ends.keys.isEmpty())
                {
                    final LongArrayList keys = ends.keys;
                    for (int i = 0; i < keys.size(); i++)
                    {
                        final long key = keys.getLong(i);
                        sink.due(table, key, worker, ends.endOfKey.get(key));
                    }
                    if (ends.endOfKey.capacity() > MAX_KEPT_CAPACITY)
                    {
                        perWorker[worker] = null;
                    }
                    else
                    {
                        ends.forget();
                    }
                }
            }
        }
    }

    /** Forgets the maps of dropped tables. */
    void forgetDroppedTables()
    {
        byTable.keySet().removeIf(table -> ((TableStore)table).isDropped());
    }
}
