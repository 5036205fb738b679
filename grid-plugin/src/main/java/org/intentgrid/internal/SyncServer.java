package org.intentgrid.internal;

import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.intentgrid.spi.IntentPolicy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The owner side of sync rounds: merges replica deltas into the main copies held here and decides each refresh —
 * replicate (answer with the value if the requester is behind) or relocate (hand the main copy over). The
 * decision is the policy's: it sees whether the owner's own workers intend the key and whether another member
 * asked for it in its latest message ({@link InterestTable}).
 * <p>
 * Entries for keys not held here are answered as misses with a hint; their deltas stay with the requester,
 * which delivers them elsewhere. Runs on Hazelcast's generic threads, one key step under its stripe lock.
 */
final class SyncServer
{
    private final StoreRegistry tables;
    private final Router router;
    private final Supplier<IntentPolicy> policy;
    private final MemberCounters counters;
    private final InterestTable interest = new InterestTable();
    private final AppliedRequests applied;
    private final BackupFlusher backup;
    private final HandedOver handedOver;
    private final RecoveryPins pins;
    /** What the reads ahead read, kept so that the compiler cannot drop them (racy: only its being kept matters). */
    private long touchSum;

    SyncServer(
        final StoreRegistry tables, final Router router, final Supplier<IntentPolicy> policy,
        final MemberCounters counters, final AppliedRequests applied, final BackupFlusher backup,
        final HandedOver handedOver, final RecoveryPins pins)
    {
        this.pins = pins;
        this.applied = applied;
        this.backup = backup;
        this.handedOver = handedOver;
        this.tables = tables;
        this.router = router;
        this.policy = policy;
        this.counters = counters;
    }

    /**
     * Serves one sync message of {@code caller} for one of its channels (negative: a fetch round's message, which
     * leaves the caller's interest as its last full round stated): one reply per table batch. If deltas were
     * merged, the replies name the backup flush that will carry them ({@link SyncBatchReply#backupFlush()}): the
     * caller keeps the deltas until an answer shows that flush completed.
     *
     * @param requestId the message's id: a delta it carries is merged once even if it is delivered again
     */
    SyncBatchReply[] serve(final int channel, final SyncBatch[] batches, final UUID caller, final long requestId)
    {
        counters.syncMessagesServed.incrementAndGet();
        final int callerPeer = router.peerIndex(caller);
        final Map<String, LongHashSet> requested = new HashMap<>();
        final SyncBatchReply[] replies = new SyncBatchReply[batches.length];
        final boolean[] merged = new boolean[1];
        for (int b = 0; b < batches.length; b++)
        {
            replies[b] = serveBatch(batches[b], caller, callerPeer,
                requested.computeIfAbsent(batches[b].spec.id(), t -> new LongHashSet()), requestId, merged);
        }
        if (channel >= 0)
        {
            interest.replace(callerPeer, channel, requested);
        }
        final long flush = merged[0] ? backup.pendingFlush() : 0;
        final long completed = backup.completedFlush();
        for (final SyncBatchReply reply : replies)
        {
            reply.backupFlushes(flush, completed);
        }
        return replies;
    }

    private SyncBatchReply serveBatch(
        final SyncBatch batch, final UUID caller, final int callerPeer, final LongHashSet asked, final long requestId,
        final boolean[] merged)
    {
        final TableStore table = tables.liveTable(batch.spec);
        final int n = batch.keys.length;
        if (table == null)
        {
            // the table was dropped: nothing to merge or send, the caller forgets its keys too
            return new SyncBatchReply(new byte[n], new float[0], new long[n], new long[n], new UUID[n]);
        }
        final int length = table.valueLength();
        final byte[] status = new byte[n];
        final long[] versions = new long[n];
        final long[] relocationCounters = new long[n];
        final UUID[] hints = new UUID[n];
        final ValueBuffer values = new ValueBuffer(length, refreshes(batch));
        int deltaIndex = 0;
        final AddScratch scratch = new AddScratch(length);
        final IntentPolicy decider = policy.get();
        boolean mergedHere = false;
        final int[] touched = TableStore.touchAheadEntries(n);
        long seen = 0;
        for (int i = 0; i < n; i++)
        {
            seen += table.touchAhead(batch.keys, i, n, touched);
            final long key = batch.keys[i];
            final boolean hasDelta = (batch.flags[i] & SyncBatch.DELTA) != 0;
            final boolean refresh = (batch.flags[i] & SyncBatch.REFRESH) != 0;
            if (refresh)
            {
                asked.add(key);
            }
            final Stripe stripe = table.stripe(key);
            final long stamp = stripe.lock();
            try
            {
                final int slot = stripe.mainSlotOf(key);
                if (slot < 0 || refresh && pins.isPinned(batch.spec, key))
                {
                    // a pinned key is neither read nor handed over yet (RecoveryPins): a miss without a hint brings
                    // the refresh back next round, and its delta by a remote push meanwhile
                    hints[i] = slot < 0 ? router.missHint(batch.spec, stripe.hint(key), key) : null;
                    deltaIndex += hasDelta ? 1 : 0;
                    continue;
                }
                final long before = stripe.version(slot);
                if (hasDelta)
                {
                    final long fingerprint = AppliedRequests.fingerprint(requestId, key);
                    if (applied.add(fingerprint))
                    {
                        stripe.add(slot, batch.deltas, deltaIndex * length, scratch);
                        stripe.bumpVersion(slot);
                        stripe.noteApplied(key, fingerprint);
                    }
                    deltaIndex++;
                    mergedHere = true;
                }
                versions[i] = stripe.version(slot);
                byte result = SyncBatchReply.SERVED;
                if (refresh)
                {
                    final boolean ownerIntent = table.activeIntent(stripe, slot);
                    final boolean brief = (batch.flags[i] & SyncBatch.BRIEF) != 0;
                    final long moved = stripe.counter(slot);
                    // the interest lookup (a probe of every other requester's key set) only where it can decide:
                    // a policy never relocates a key because others are interested (IntentPolicy#replicate)
                    final boolean replicate = decider.replicate(ownerIntent, false, brief, moved) ||
                        decider.replicate(ownerIntent, true, brief, moved) &&
                        interest.othersInterested(batch.spec.id(), key, callerPeer);
                    if (replicate)
                    {
                        counters.replicateDecisions.incrementAndGet();
                        if (batch.versions[i] < before)
                        {
                            stripe.copyOut(slot, values.next(), values.offset());
                            result |= SyncBatchReply.VALUE;
                        }
                    }
                    else
                    {
                        counters.relocateDecisions.incrementAndGet();
                        counters.relocationsOut.incrementAndGet();
                        final float[] handed = values.next();
                        stripe.appliedTo(key, callerPeer, values.movedApplied);
                        relocationCounters[i] = table.take(stripe, slot, handed, values.offset(), callerPeer);
                        handedOver.keep(caller, table, key, handed, values.offset(), relocationCounters[i],
                            versions[i]);
                        result |= SyncBatchReply.VALUE | SyncBatchReply.RELOCATE;
                    }
                }
                status[i] = result;
            }
            finally
            {
                stripe.unlock(stamp);
            }
        }
        merged[0] |= mergedHere;
        touchSum += seen;
        return values.reply(status, versions, relocationCounters, hints);
    }

    private static int refreshes(final SyncBatch batch)
    {
        int refreshes = 0;
        for (final byte flags : batch.flags)
        {
            refreshes += (flags & SyncBatch.REFRESH) != 0 ? 1 : 0;
        }
        return refreshes;
    }

    /**
     * The values of one reply, in entry order: room for one value per refresh asked for (the most a reply can
     * carry), so that a reply that answers every refresh with a value is sent without a copy; and, for the main
     * copies it hands over, the updates they include that the backup may lack ({@link TableStore#take}).
     */
    private static final class ValueBuffer
    {
        final LongArrayList movedApplied = new LongArrayList();
        private final int length;
        private final float[] values;
        private int count;

        ValueBuffer(final int length, final int capacity)
        {
            this.length = length;
            this.values = new float[capacity * length];
        }

        /** Takes room for one more value; {@link #offset()} then tells where it goes. */
        float[] next()
        {
            count++;
            return values;
        }

        int offset()
        {
            return (count - 1) * length;
        }

        SyncBatchReply reply(final byte[] status, final long[] versions, final long[] counters, final UUID[] hints)
        {
            final SyncBatchReply reply = new SyncBatchReply(status,
                count * length == values.length ? values : Arrays.copyOf(values, count * length), versions, counters,
                hints);
            reply.movedApplied(TableStore.pairsOrNull(movedApplied));
            return reply;
        }
    }
}
