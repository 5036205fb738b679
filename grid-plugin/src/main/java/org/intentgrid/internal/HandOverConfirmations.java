package org.intentgrid.internal;

import org.agrona.collections.LongArrayList;
import org.intentgrid.TableSpec;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The new owner's side of {@link HandedOver}: main copies moved in are confirmed to the members that handed them
 * over once a backup flush (the next periodic one) that started after their installation completed — in one
 * message per old owner and table per flush, however many relocations that flush carried. Thread-safe.
 */
final class HandOverConfirmations
{
    private final BackupFlusher flusher;
    private final ClusterPort port;
    /** The flush the current batch waits for. Guarded by this. */
    private CompletableFuture<Void> gate;
    /** Keys and counters to confirm after {@link #gate}, per old owner and table. Guarded by this. */
    private Map<UUID, Map<TableSpec, LongArrayList[]>> batch;

    HandOverConfirmations(final BackupFlusher flusher, final ClusterPort port)
    {
        this.flusher = flusher;
        this.port = port;
    }

    /** {@code keys} of {@code spec} moved in from {@code from} with these counters, and are installed here. */
    synchronized void movedIn(final UUID from, final TableSpec spec, final long[] keys, final long[] counters)
    {
        // obtained under this lock: a flush that takes this gate starts after the keys were installed. The next
        // periodic flush will do: nothing waits for a confirmation (the old owner keeps the key meanwhile), and an
        // early flush per relocation batch cost adaptive runs up to a hundred flushes a second
        final CompletableFuture<Void> next = flusher.nextFlush();
        final boolean fresh = next != gate;
        if (fresh)
        {
            gate = next;
            batch = new HashMap<>();
        }
        final LongArrayList[] lists = batch.computeIfAbsent(from, m -> new HashMap<>())
            .computeIfAbsent(spec, s -> new LongArrayList[] {new LongArrayList(), new LongArrayList()});
        for (int i = 0; i < keys.length; i++)
        {
            lists[0].addLong(keys[i]);
            lists[1].addLong(counters[i]);
        }
        if (fresh)
        {
            // last: a flush may have completed the gate already, and then the batch goes out right here
            final Map<UUID, Map<TableSpec, LongArrayList[]>> waiting = batch;
            next.thenRun(() -> send(waiting));
        }
    }

    private void send(final Map<UUID, Map<TableSpec, LongArrayList[]>> confirmed)
    {
        synchronized (this)
        {
            // every movedIn that obtained this batch's gate finished adding to it before this lock was free
            if (batch == confirmed)
            {
                batch = null;
                gate = null;
            }
        }
        confirmed.forEach((from, byTable) -> byTable.forEach((spec, lists) -> port.direct(from,
            new DataRequest(spec, RequestKind.HANDED_OVER, lists[0].toLongArray(), null, lists[1].toLongArray(),
                null))));
    }
}
