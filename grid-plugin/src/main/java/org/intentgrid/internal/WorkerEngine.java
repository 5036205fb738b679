package org.intentgrid.internal;

import org.intentgrid.GridStats;
import org.intentgrid.OpHandle;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.IntentPolicy;

import java.util.Arrays;

/**
 * The local/remote engine behind one {@code ParameterWorker}: serves the keys this member holds inside the call,
 * one stripe step per key and no allocation, and batches the rest into one {@link RemoteRequest}.
 * <p>
 * Not API: it trusts its input. {@code ParameterWorker} validates every call before it gets here, so that a
 * rejected call changes nothing. Confined to the worker's thread, except the atomic counters that remote
 * answers update.
 */
public final class WorkerEngine
{
    /**
     * Pulls of this many keys or more read all their index entries and slot headers first ({@link TableStore#touch}).
     * In a 10M-key table it took random 16-key pulls from 263 to 243 ns per key (four alternating pairs of runs,
     * faster in each pair); in a table the cache holds it costs 0-3%.
     */
    private static final int TOUCH_MIN_KEYS = 2;
    private final MemberRuntime runtime;
    private final IntentPolicy policy;
    private final int index;
    private final ReadHolds readHolds;
    private final WorkerCounters counters = new WorkerCounters();
    private final HeldIntents heldWhileAlone = new HeldIntents();
    private AddScratch scratch = new AddScratch(0);
    /** The index entries {@link TableStore#touch} read for the pull in progress. */
    private int[] touched = new int[64];
    /** What {@link TableStore#touch} read, kept so that the compiler cannot drop the reads. */
    private long touchSum;

    WorkerEngine(final MemberRuntime runtime)
    {
        this.runtime = runtime;
        this.policy = runtime.policy();
        this.readHolds = runtime.readHolds();
        this.index = policy.registerWorker();
    }

    /** @return this worker's index among its member's workers (the policy's clock index) */
    public int index()
    {
        return index;
    }

    /** @return the member-local store of the table, with this worker ready to add values of its length */
    public TableStore store(final TableSpec spec)
    {
        final TableStore store = runtime.table(spec);
        if (scratch.capacity() < store.valueLength())
        {
            scratch = new AddScratch(store.valueLength());
        }
        return store;
    }

    /**
     * Pulls {@code keys} at {@code positions[0 .. count)}, or at every position when {@code positions} is null:
     * local ones inside the call, the others in one remote request.
     */
    public OpHandle pull(
        final TableStore store, final long[] keys, final float[] values, final int[] positions, final int count)
    {
        final int length = store.valueLength();
        int[] remote = null;
        int remoteCount = 0;
        int fromReplica = 0;
        final boolean guarded = readHolds.any();
        if (count >= TOUCH_MIN_KEYS)
        {
            if (touched.length < count)
            {
                touched = new int[count];
            }
            touchSum += store.touch(keys, positions, 0, count, touched);
        }
        for (int j = 0; j < count; j++)
        {
            final int i = positions == null ? j : positions[j];
            final SlotState served = guarded && readHolds.unreadable(store.spec(), keys[i]) ?
                SlotState.ABSENT : store.pullLocal(keys[i], values, i * length);
            if (served == SlotState.ABSENT)
            {
                if (remote == null)
                {
                    remote = new int[count - j];
                }
                remote[remoteCount++] = i;
            }
            else if (served == SlotState.REPLICA)
            {
                fromReplica++;
            }
        }
        counters.keysPulled += count;
        counters.keysLocal += count - remoteCount;
        counters.keysFromReplica += fromReplica;
        if (remoteCount == 0)
        {
            return OpHandle.DONE;
        }
        return remote(store, RequestKind.PULL, keys, remote, remoteCount, null, values);
    }

    /** @return true if the key was read from a local copy into {@code values} at {@code offset} */
    public boolean pullIfLocal(final TableStore store, final long key, final float[] values, final int offset)
    {
        if (readHolds.any() && readHolds.unreadable(store.spec(), key))
        {
            return false;
        }
        final SlotState served = store.pullLocal(key, values, offset);
        if (served == SlotState.ABSENT)
        {
            return false;
        }
        counters.keysPulled++;
        counters.keysLocal++;
        if (served == SlotState.REPLICA)
        {
            counters.keysFromReplica++;
        }
        return true;
    }

    /**
     * Adds {@code updates} to the values of the first {@code count} of {@code keys}: local copies inside the call,
     * the rest remotely.
     */
    public OpHandle push(final TableStore store, final long[] keys, final int count, final float[] updates)
    {
        final int length = store.valueLength();
        int[] remote = null;
        int remoteCount = 0;
        int fromReplica = 0;
        for (int i = 0; i < count; i++)
        {
            final SlotState applied = store.pushLocal(keys[i], updates, i * length, scratch);
            if (applied == SlotState.ABSENT)
            {
                if (remote == null)
                {
                    remote = new int[count - i];
                }
                remote[remoteCount++] = i;
            }
            else if (applied == SlotState.REPLICA)
            {
                fromReplica++;
            }
        }
        if (fromReplica > 0)
        {
            runtime.syncManager().replicaPushed();
            counters.keysFromReplica += fromReplica;
        }
        counters.keysPushed += count;
        counters.keysLocal += count - remoteCount;
        return remoteCount == 0 ? OpHandle.DONE :
            remote(store, RequestKind.PUSH, keys, remote, remoteCount, updates, null);
    }

    /**
     * Overwrites the values of the first {@code count} of {@code keys}: main copies held here inside the call, the
     * rest remotely.
     */
    public OpHandle set(final TableStore store, final long[] keys, final int count, final float[] values)
    {
        final int length = store.valueLength();
        int[] remote = null;
        int remoteCount = 0;
        for (int i = 0; i < count; i++)
        {
            if (!store.setLocal(keys[i], values, i * length))
            {
                if (remote == null)
                {
                    remote = new int[count - i];
                }
                remote[remoteCount++] = i;
            }
        }
        counters.keysSet += count;
        counters.keysLocal += count - remoteCount;
        return remoteCount == 0 ? OpHandle.DONE :
            remote(store, RequestKind.SET, keys, remote, remoteCount, values, null);
    }

    /**
     * Moves the main copies of {@code keys} here; completes once every home recorded the move.
     *
     * @throws org.intentgrid.OffHeapExhaustedException if this member has no room for them (nothing moves)
     */
    public OpHandle localize(final TableStore store, final long[] keys)
    {
        int[] remote = null;
        int remoteCount = 0;
        for (int i = 0; i < keys.length; i++)
        {
            if (!store.holdsMain(keys[i]))
            {
                if (remote == null)
                {
                    remote = new int[keys.length - i];
                }
                remote[remoteCount++] = i;
            }
        }
        if (remoteCount > 0)
        {
            store.checkRoomFor(keys, remote, remoteCount);
        }
        counters.keysLocalized += keys.length;
        return remoteCount == 0 ? OpHandle.DONE :
            remote(store, RequestKind.LOCALIZE, keys, remote, remoteCount, null, null);
    }

    /**
     * Hands a copy of the first {@code count} of {@code keys} to the member's policy. While this member is alone it
     * holds the copy instead ({@link HeldIntents}): every key is a main copy here or first touched here, and
     * registering the intent (a stripe lock and two lookups per key on the sync thread) would buy nothing until
     * another member joins.
     */
    public void intent(final TableStore store, final long[] keys, final int count, final long start, final long end)
    {
        if (runtime.alone())
        {
            heldWhileAlone.hold(store, Arrays.copyOf(keys, count), start, end, policy.clock(index));
            return;
        }
        releaseHeldIntents();
        policy.intent(index, store, Arrays.copyOf(keys, count), start, end);
        runtime.syncManager().wake();
    }

    /** @return this worker's clock after advancing it by one */
    public long advanceClock()
    {
        if (!heldWhileAlone.isEmpty() && !runtime.alone())
        {
            releaseHeldIntents();
            runtime.syncManager().wake();
        }
        return policy.advanceClock(index);
    }

    private void releaseHeldIntents()
    {
        if (!heldWhileAlone.isEmpty())
        {
            heldWhileAlone.release(policy.clock(index), (s, k, start, end) -> policy.intent(index, s, k, start, end));
        }
    }

    /** @return intents this worker signalled while its member was alone and still holds (tests) */
    int heldIntents()
    {
        return heldWhileAlone.size();
    }

    /** @return this worker's clock */
    public long clock()
    {
        return policy.clock(index);
    }

    /** Blocks until the member's sync task completed two rounds that started after the call. */
    public void waitSync()
    {
        runtime.syncManager().waitSync();
    }

    /** The worker is done: its clock counts as infinite, so its intents expire. */
    public void finish()
    {
        policy.finishWorker(index);
        runtime.retire(this);
    }

    /** @return keys served from this member's store inside the call so far (read by the worker's thread) */
    public long keysLocal()
    {
        return counters.keysLocal;
    }

    /** @return this worker's access counters */
    public GridStats stats()
    {
        return counters.snapshot();
    }

    private OpHandle remote(
        final TableStore store, final RequestKind kind, final long[] keys, final int[] positions, final int count,
        final float[] input, final float[] out)
    {
        final int length = store.valueLength();
        final long[] remoteKeys = new long[count];
        final int[] remotePositions = new int[count];
        final float[] remoteValues = input == null ? null : new float[count * length];
        for (int j = 0; j < count; j++)
        {
            final int i = positions[j];
            remoteKeys[j] = keys[i];
            remotePositions[j] = i;
            if (remoteValues != null)
            {
                System.arraycopy(input, i * length, remoteValues, j * length, length);
            }
        }
        return new RemoteRequest(runtime, store, kind, remoteKeys, remotePositions, remoteValues, out, counters)
            .start();
    }
}
