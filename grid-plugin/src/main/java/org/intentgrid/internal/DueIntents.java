package org.intentgrid.internal;

import org.agrona.collections.Long2LongHashMap;
import org.intentgrid.spi.DueIntentSink;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The intents one collect pass of the policy found due, reduced to one per table, worker and key with the latest
 * end. Registering an intent takes the key's stripe lock and two lookups; w2v and kge name their frequent keys (common
 * words, relations) in many intents that fall due in the same pass, and only the latest end of each counts.
 * <p>
 * Confined to the sync thread; its maps are kept and cleared between passes, so a pass allocates nothing once they
 * have grown to the pass size.
 */
final class DueIntents implements DueIntentSink
{
    private static final long NO_END = -1;
    /** A map grown past this after an unusually large pass is dropped rather than cleared at every pass after it. */
    private static final int MAX_KEPT_CAPACITY = 1 << 14;

    private final Map<Object, Long2LongHashMap[]> byTable = new IdentityHashMap<>();
    /**
     * The map of the last (table, worker) seen, as a policy hands each intent's keys in a row; null table: nothing
     * collected since the last drain.
     */
    private Object lastTable;
    private int lastWorker;
    private Long2LongHashMap lastEnds;

    @Override
    public void due(final Object table, final long key, final int worker, final long end)
    {
        if (table != lastTable || worker != lastWorker)
        {
            lastEnds = ends(table, worker);
            lastTable = table;
            lastWorker = worker;
        }
        final long previous = lastEnds.put(key, end);
        if (previous > end)
        {
            lastEnds.put(key, previous);
        }
    }

    private Long2LongHashMap ends(final Object table, final int worker)
    {
        Long2LongHashMap[] perWorker = byTable.get(table);
        if (perWorker == null || perWorker.length <= worker)
        {
            perWorker = perWorker == null ? new Long2LongHashMap[worker + 1] : Arrays.copyOf(perWorker, worker + 1);
            byTable.put(table, perWorker);
        }
        if (perWorker[worker] == null)
        {
            perWorker[worker] = new Long2LongHashMap(NO_END);
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
        for (final Map.Entry<Object, Long2LongHashMap[]> entry : byTable.entrySet())
        {
            final Object table = entry.getKey();
            final Long2LongHashMap[] perWorker = entry.getValue();
            for (int worker = 0; worker < perWorker.length; worker++)
            {
                final Long2LongHashMap ends = perWorker[worker];
                if (ends != null && !ends.isEmpty())
                {
                    final int w = worker;
                    ends.forEachLong((key, end) -> sink.due(table, key, w, end));
                    if (ends.capacity() > MAX_KEPT_CAPACITY)
                    {
                        perWorker[worker] = null;
                    }
                    else
                    {
                        ends.clear();
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
