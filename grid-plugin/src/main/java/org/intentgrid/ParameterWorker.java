package org.intentgrid;

import org.intentgrid.internal.FiniteScan;
import org.intentgrid.internal.TableStore;
import org.intentgrid.internal.WorkerEngine;
import org.intentgrid.spi.PreparedSample;
import org.intentgrid.spi.WorkerSampler;

import java.util.IdentityHashMap;

/**
 * One application thread's access to the grid, on one member.
 * <p>
 * Keys whose main copy this member holds are served inside the call, under one lock stripe per key,
 * with no allocation; the call then returns {@link OpHandle#DONE}. The other keys are batched into one
 * request per destination member and the returned handle completes when all are answered.
 * <p>
 * Every call validates all of its input before touching the store: a rejected call changes nothing.
 * A worker is meant for one thread at a time; create one per thread.
 * <pre>{@code
 * try (ParameterWorker w = member.worker()) {
 *     OpHandle pulled = w.pull(table, keys, values);   // local keys are already in values
 *     pulled.await();                                  // now the remote ones are too
 *     w.push(table, keys, updates);                    // additive; the input may be reused at once
 *     w.intent(table, nextKeys, w.clock() + 10, w.clock() + 11);
 *     w.advanceClock();
 * }
 * }</pre>
 */
public final class ParameterWorker implements AutoCloseable
{
    private static final int RECENT_TABLES = 4;

    private final GridMember member;
    private final WorkerEngine engine;
    private final boolean allowNonFinite;
    /** Tables this worker used recently and their stores: apps alternate between a few tables per example. */
    private final Table[] recentTables = new Table[RECENT_TABLES];
    private final TableStore[] recentStores = new TableStore[RECENT_TABLES];
    private int nextRecent;
    private final IdentityHashMap<SamplingState, WorkerSampler> samplers = new IdentityHashMap<>();
    private int[] unserved = new int[0];
    private long samplesPrepared;
    private volatile boolean closed;

    ParameterWorker(final GridMember member, final WorkerEngine engine, final boolean allowNonFinite)
    {
        this.member = member;
        this.engine = engine;
        this.allowNonFinite = allowNonFinite;
    }

    /** @return the member this worker runs on */
    public GridMember member()
    {
        return member;
    }

    /**
     * Reads the values of {@code keys} into {@code values} ({@code valueLength} floats per key, in key order).
     *
     * @return {@link OpHandle#DONE} if all keys were local; otherwise a handle to await before reading
     *         the remote keys' values (and before reusing {@code values})
     */
    public OpHandle pull(final Table table, final long[] keys, final float[] values)
    {
        final TableStore store = store(table, keys, "pull");
        checkValues(table, keys.length, values, true, "pull");
        return engine.pull(store, keys, values, null, keys.length);
    }

    /**
     * Reads the values of the first {@code count} of {@code keys} into the first {@code count * valueLength} floats
     * of {@code values}, like {@link #pull(Table, long[], float[])}. Both arrays may be longer, so that a training
     * loop can reuse one pair of buffers for batches of varying size; their other elements are left alone.
     *
     * @throws IllegalArgumentException for {@code count} outside {@code 0..keys.length}, a key out of range, or
     *                                  fewer than {@code count * valueLength} floats in {@code values}
     */
    public OpHandle pull(final Table table, final long[] keys, final int count, final float[] values)
    {
        final TableStore store = store(table, keys, count, "pull");
        checkValues(table, count, values, false, "pull");
        return engine.pull(store, keys, values, null, count);
    }

    /**
     * Reads one key if this member holds a usable copy of it (main copy or replica), without any remote call.
     *
     * @param offset where the value goes in {@code values}
     * @return true if the value was read; false if the key is not local (nothing written)
     */
    public boolean pullIfLocal(final Table table, final long key, final float[] values, final int offset)
    {
        final TableStore store = store(table, "pullIfLocal");
        checkKey(table, key, 0, "pullIfLocal");
        if (values == null || offset < 0 || offset > values.length - table.valueLength())
        {
            throw new IllegalArgumentException("pullIfLocal on table '" + table.name() + "': offset " + offset +
                " leaves no room for " + table.valueLength() + " floats in an array of length " +
                (values == null ? "null" : String.valueOf(values.length)));
        }
        return engine.pullIfLocal(store, key, values, offset);
    }

    /**
     * Prepares a sample of {@code n} keys of {@code table}, drawn as configured by
     * {@link ParameterGrid#enableSampling}, to be pulled while this worker's clock is in {@code [start, end)}
     * (schemes {@code preloc} and {@code pool} signal intent for that window, so prepare ahead).
     *
     * @throws IllegalArgumentException for {@code n <= 0}, an empty or negative clock window, or more distinct keys
     *                                  than the distribution (or pool) has when sampling without replacement
     * @throws IllegalStateException    if sampling of the table is not enabled on this member
     */
    public SampleHandle prepareSample(final Table table, final int n, final long start, final long end)
    {
        store(table, "prepareSample");
        final SamplingState state = member.samplingState(table, "prepareSample");
        final String where = "prepareSample on table '" + table.name() + "': ";
        if (n <= 0)
        {
            throw new IllegalArgumentException(where + "sample size " + n + " is invalid; expected n >= 1");
        }
        checkWindow(table, start, end, "prepareSample");
        final Sampling sampling = state.sampling;
        if (!sampling.withReplacement())
        {
            final long range = sampling.distribution().maxKey() - sampling.distribution().minKey();
            final long distinct = state.scheme == SamplingScheme.POOL ? Math.min(range, sampling.poolSize()) : range;
            if (n > distinct)
            {
                throw new IllegalArgumentException(where + n + " distinct keys requested without replacement, but " +
                    (state.scheme == SamplingScheme.POOL ? "the pool holds " : "the distribution has ") + distinct +
                    "; expected n <= " + distinct);
            }
        }
        WorkerSampler sampler = samplers.get(state);
        if (sampler == null)
        {
            sampler = state.sampler.forWorker(this, Hashing.mix64(state.seed ^ Hashing.mix64(~(long)engine.index())));
            samplers.put(state, sampler);
        }
        final PreparedSample sample = sampler.prepare(n, start, end);
        state.counters.prepared(n);
        return new SampleHandle(this, table, n, ++samplesPrepared, sample, state);
    }

    /**
     * Hands out the next {@code keysOut.length} keys of a prepared sample and pulls their values into
     * {@code valuesOut}, like {@link #pull}.
     *
     * @return {@link OpHandle#DONE} if all values were read locally; otherwise a handle to await before reading them
     * @throws IllegalArgumentException for a handle of another worker, more keys than remain in the sample, or a
     *                                  value array whose length is not {@code keysOut.length * valueLength}
     * @throws IllegalStateException    for a finished sample
     */
    public OpHandle pullSample(final SampleHandle sample, final long[] keysOut, final float[] valuesOut)
    {
        checkHandle(sample, "pullSample");
        if (keysOut == null)
        {
            throw new IllegalArgumentException("pullSample: keysOut must not be null");
        }
        checkValues(sample.table(), keysOut.length, valuesOut, true, "pullSample");
        return takeSample(sample, keysOut, keysOut.length, valuesOut);
    }

    /**
     * Hands out the next {@code count} keys of a prepared sample into the first {@code count} elements of
     * {@code keysOut} and pulls their values into the first {@code count * valueLength} floats of {@code valuesOut},
     * like {@link #pullSample(SampleHandle, long[], float[])}; both arrays may be longer (reusable buffers).
     *
     * @throws IllegalArgumentException for a handle of another worker, {@code count} outside {@code 0..keysOut.length}
     *                                  or above the keys the sample has left, or fewer than
     *                                  {@code count * valueLength} floats in {@code valuesOut}
     * @throws IllegalStateException    for a finished sample
     */
    public OpHandle pullSample(final SampleHandle sample, final long[] keysOut, final int count,
        final float[] valuesOut)
    {
        checkHandle(sample, "pullSample");
        checkCount(sample.table(), keysOut, count, "pullSample");
        checkValues(sample.table(), count, valuesOut, false, "pullSample");
        return takeSample(sample, keysOut, count, valuesOut);
    }

    private OpHandle takeSample(final SampleHandle sample, final long[] keysOut, final int count,
        final float[] valuesOut)
    {
        final Table table = sample.table();
        final TableStore store = store(table, "pullSample");
        if (count > sample.remaining())
        {
            throw new IllegalArgumentException("pullSample on table '" + table.name() + "': " + count +
                " keys requested but " + sample + " has " + sample.remaining() + " left; expected at most " +
                sample.remaining());
        }
        if (unserved.length < count)
        {
            unserved = new int[count];
        }
        final long localBefore = engine.keysLocal();
        final int remote = sample.sample.next(keysOut, count, valuesOut, unserved);
        sample.taken += count;
        final OpHandle handle = remote == 0 ? OpHandle.DONE : engine.pull(store, keysOut, valuesOut, unserved, remote);
        sample.state.counters.pulled(count, engine.keysLocal() - localBefore);
        return handle;
    }

    /**
     * Releases a sample; keys not pulled are dropped (their intents stay and expire with the clock window).
     *
     * @throws IllegalArgumentException for a handle of another worker
     * @throws IllegalStateException    if it was finished already
     */
    public void finishSample(final SampleHandle sample)
    {
        checkHandle(sample, "finishSample");
        sample.finished = true;
    }

    private static void checkWindow(final Table table, final long start, final long end, final String op)
    {
        if (start < 0 || end <= start)
        {
            throw new IllegalArgumentException(op + " on table '" + table.name() + "': clock window [" + start + ", " +
                end + ") is empty or negative; expected 0 <= start < end");
        }
    }

    private void checkHandle(final SampleHandle sample, final String op)
    {
        checkOpen(op);
        if (sample == null || sample.worker() != this)
        {
            throw new IllegalArgumentException(op + ": " + (sample == null ? "null" : sample.toString()) + " is not " +
                "a sample of this worker; expected a handle returned by this worker's prepareSample");
        }
        if (sample.finished)
        {
            throw new IllegalStateException(op + ": " + sample + " is finished; prepare a new sample");
        }
    }

    /**
     * Adds {@code updates} ({@code valueLength} floats per key, in key order) to the values of {@code keys}.
     * Duplicate keys are each applied. The input is copied: the caller may reuse it on return.
     */
    public OpHandle push(final Table table, final long[] keys, final float[] updates)
    {
        return engine.push(checkedWrite(table, keys, all(keys), true, updates, "push"), keys, keys.length, updates);
    }

    /**
     * Adds the first {@code count * valueLength} floats of {@code updates} to the values of the first {@code count}
     * of {@code keys}, like {@link #push(Table, long[], float[])}; both arrays may be longer (reusable buffers).
     *
     * @throws IllegalArgumentException for {@code count} outside {@code 0..keys.length}, a key out of range, fewer
     *                                  than {@code count * valueLength} floats, or a non-finite one among them
     */
    public OpHandle push(final Table table, final long[] keys, final int count, final float[] updates)
    {
        return engine.push(checkedWrite(table, keys, count, false, updates, "push"), keys, count, updates);
    }

    /** Overwrites the values of {@code keys} with {@code values}; otherwise like {@link #push}. */
    public OpHandle set(final Table table, final long[] keys, final float[] values)
    {
        return engine.set(checkedWrite(table, keys, all(keys), true, values, "set"), keys, keys.length, values);
    }

    /**
     * Overwrites the values of the first {@code count} of {@code keys} with the first {@code count * valueLength}
     * floats of {@code values}; otherwise like {@link #push(Table, long[], int, float[])}.
     */
    public OpHandle set(final Table table, final long[] keys, final int count, final float[] values)
    {
        return engine.set(checkedWrite(table, keys, count, false, values, "set"), keys, count, values);
    }

    /**
     * Moves the main copies of {@code keys} to this worker's member (the Lapse primitive). The handle
     * completes once every key is held here and its home has recorded the move.
     *
     * @throws IllegalArgumentException  for a key out of range
     * @throws OffHeapExhaustedException if this member has no room for the copies it does not hold yet (its cap or
     *                                   the machine's memory): nothing moves
     */
    public OpHandle localize(final Table table, final long[] keys)
    {
        return engine.localize(store(table, keys, "localize"), keys);
    }

    /**
     * Signals that this worker will access {@code keys} while its clock is in {@code [start, end)}. The grid
     * makes the keys local in time — relocating a key to this member if no other member wants it, replicating
     * it if several do — and releases replicas after {@code end}. Non-blocking; the keys are copied.
     * In mode {@code static} (or without the intent service) intents are validated and ignored. While this member
     * is the cluster's only one (every key is its own then) they are only kept, at no cost per key, and take
     * effect once another member has joined, at this worker's next {@code intent} or {@link #advanceClock()}.
     *
     * @throws IllegalArgumentException for keys out of range, {@code start < 0} or {@code end <= start}
     */
    public void intent(final Table table, final long[] keys, final long start, final long end)
    {
        final TableStore store = store(table, keys, "intent");
        checkWindow(table, start, end, "intent");
        engine.intent(store, keys, keys.length, start, end);
    }

    /**
     * Signals intent for the first {@code count} of {@code keys}; otherwise like
     * {@link #intent(Table, long[], long, long)} (the array may be longer: a reusable buffer).
     *
     * @throws IllegalArgumentException for {@code count} outside {@code 0..keys.length}, a key out of range,
     *                                  {@code start < 0} or {@code end <= start}
     */
    public void intent(final Table table, final long[] keys, final int count, final long start, final long end)
    {
        final TableStore store = store(table, keys, count, "intent");
        checkWindow(table, start, end, "intent");
        engine.intent(store, keys, count, start, end);
    }

    /** Signals intent for the single clock {@code clock}: {@code intent(table, keys, clock, clock + 1)}. */
    public void intent(final Table table, final long[] keys, final long clock)
    {
        if (clock == Long.MAX_VALUE)
        {
            throw new IllegalArgumentException("intent on table '" + table.name() + "': clock " + clock +
                " has no end");
        }
        intent(table, keys, clock, clock + 1);
    }

    /** @return this worker's clock after advancing it by one (typically once per example or batch) */
    public long advanceClock()
    {
        checkOpen("advanceClock");
        return engine.advanceClock();
    }

    /** @return this worker's clock */
    public long clock()
    {
        return engine.clock();
    }

    /**
     * Blocks until this member's sync task has completed two rounds that started after the call (answers
     * included): replica updates made before the call have reached their main copies, and replicas show
     * what their owners held when answering. Call it on every member to make all replicas converge.
     */
    public void waitSync()
    {
        checkOpen("waitSync");
        engine.waitSync();
    }

    private void checkOpen(final String op)
    {
        if (closed)
        {
            throw new IllegalStateException(op + ": this worker is closed");
        }
    }

    /** @return this worker's counters */
    public GridStats stats()
    {
        return engine.stats();
    }

    /** Closes the worker; later calls fail. Requests in flight still complete. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            engine.finish();
            member.retire(this);
        }
    }

    /**
     * Validates a push or set of the first {@code count} keys completely before anything is applied.
     *
     * @param exact whether the input must hold exactly the keys' values (else at least)
     */
    private TableStore checkedWrite(
        final Table table, final long[] keys, final int count, final boolean exact, final float[] input,
        final String op)
    {
        final TableStore store = store(table, keys, count, op);
        checkValues(table, count, input, exact, op);
        if (!allowNonFinite)
        {
            checkFinite(table, keys, count, input, op);
        }
        return store;
    }

    private TableStore store(final Table table, final long[] keys, final String op)
    {
        return store(table, keys, all(keys), op);
    }

    /** @return the count of a call on all of {@code keys} (0 for null, which {@link #checkCount} then rejects) */
    private static int all(final long[] keys)
    {
        return keys == null ? 0 : keys.length;
    }

    /** @return the table's store, after checking the first {@code count} of {@code keys} */
    private TableStore store(final Table table, final long[] keys, final int count, final String op)
    {
        final TableStore store = store(table, op);
        checkCount(table, keys, count, op);
        for (int i = 0; i < count; i++)
        {
            checkKey(table, keys[i], i, op);
        }
        return store;
    }

    private static void checkCount(final Table table, final long[] keys, final int count, final String op)
    {
        if (keys == null)
        {
            throw new IllegalArgumentException(op + " on table '" + table.name() + "': keys must not be null");
        }
        if (count < 0 || count > keys.length)
        {
            throw new IllegalArgumentException(op + " on table '" + table.name() + "': count " + count +
                " is out of range; expected 0 <= count <= " + keys.length + " (the length of the key array)");
        }
    }

    private TableStore store(final Table table, final String op)
    {
        checkOpen(op);
        if (table == null)
        {
            throw new IllegalArgumentException(op + ": table must not be null");
        }
        for (int i = 0; i < RECENT_TABLES; i++)
        {
            if (recentTables[i] == table)
            {
                // no dropped check here (a load per call): a dropped store holds no key, so every call on it goes
                // to the key's home, whose DROPPED answer fails it with the reason
                return recentStores[i];
            }
        }
        final TableStore store = engine.store(table.spec());
        recentTables[nextRecent] = table;
        recentStores[nextRecent] = store;
        nextRecent = (nextRecent + 1) % RECENT_TABLES;
        return store;
    }

    private static void checkKey(final Table table, final long key, final int index, final String op)
    {
        if (key < 0 || key >= table.size())
        {
            throw new IllegalArgumentException(op + " on table '" + table.name() + "': key " + key + " at index " +
                index + " is out of range; expected 0 <= key < " + table.size());
        }
    }

    /** @param exact whether {@code values} must hold exactly {@code count} values (else at least) */
    private static void checkValues(
        final Table table, final int count, final float[] values, final boolean exact, final String op)
    {
        final long expected = (long)count * table.valueLength();
        if (values == null || (exact ? values.length != expected : values.length < expected))
        {
            throw new IllegalArgumentException(op + " on table '" + table.name() + "': value array has length " +
                (values == null ? "null" : String.valueOf(values.length)) + "; expected " + (exact ? "" :
                "at least ") + count + " keys x " + table.valueLength() + " floats = " + expected);
        }
    }

    private static void checkFinite(
        final Table table, final long[] keys, final int count, final float[] input, final String op)
    {
        final int i = FiniteScan.firstNonFinite(input, count * table.valueLength());
        if (i >= 0)
        {
            final int length = table.valueLength();
            throw new IllegalArgumentException(op + " on table '" + table.name() + "': value " + input[i] +
                " for key " + keys[i / length] + " (element " + (i % length) + ") is not finite; " +
                "expected finite floats (allow them with GridConfig.allowNonFinite(true))");
        }
    }

}
