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
        checkValues(table, keys, values, "pull");
        return engine.pull(store, keys, values, null, keys.length);
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
        final Table table = sample.table();
        final TableStore store = store(table, "pullSample");
        checkValues(table, keysOut, valuesOut, "pullSample");
        if (keysOut.length > sample.remaining())
        {
            throw new IllegalArgumentException("pullSample on table '" + table.name() + "': " + keysOut.length +
                " keys requested but " + sample + " has " + sample.remaining() + " left; expected at most " +
                sample.remaining());
        }
        if (unserved.length < keysOut.length)
        {
            unserved = new int[keysOut.length];
        }
        final long localBefore = engine.keysLocal();
        final int count = sample.sample.next(keysOut, valuesOut, unserved);
        sample.taken += keysOut.length;
        final OpHandle handle = count == 0 ? OpHandle.DONE : engine.pull(store, keysOut, valuesOut, unserved, count);
        sample.state.counters.pulled(keysOut.length, engine.keysLocal() - localBefore);
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
        return engine.push(checkedWrite(table, keys, updates, "push"), keys, updates);
    }

    /** Overwrites the values of {@code keys} with {@code values}; otherwise like {@link #push}. */
    public OpHandle set(final Table table, final long[] keys, final float[] values)
    {
        return engine.set(checkedWrite(table, keys, values, "set"), keys, values);
    }

    /**
     * Moves the main copies of {@code keys} to this worker's member (the Lapse primitive). The handle
     * completes once every key is held here and its home has recorded the move.
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
        engine.intent(store, keys, start, end);
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

    /** Validates a push or set completely before anything is applied. */
    private TableStore checkedWrite(final Table table, final long[] keys, final float[] input, final String op)
    {
        final TableStore store = store(table, keys, op);
        checkValues(table, keys, input, op);
        if (!allowNonFinite)
        {
            checkFinite(table, keys, input, op);
        }
        return store;
    }

    private TableStore store(final Table table, final long[] keys, final String op)
    {
        final TableStore store = store(table, op);
        if (keys == null)
        {
            throw new IllegalArgumentException(op + " on table '" + table.name() + "': keys must not be null");
        }
        for (int i = 0; i < keys.length; i++)
        {
            checkKey(table, keys[i], i, op);
        }
        return store;
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

    private static void checkValues(final Table table, final long[] keys, final float[] values, final String op)
    {
        final long expected = (long)keys.length * table.valueLength();
        if (values == null || values.length != expected)
        {
            throw new IllegalArgumentException(op + " on table '" + table.name() + "': value array has length " +
                (values == null ? "null" : String.valueOf(values.length)) + "; expected " + keys.length +
                " keys x " + table.valueLength() + " floats = " + expected);
        }
    }

    private static void checkFinite(final Table table, final long[] keys, final float[] input, final String op)
    {
        final int i = FiniteScan.firstNonFinite(input);
        if (i >= 0)
        {
            final int length = table.valueLength();
            throw new IllegalArgumentException(op + " on table '" + table.name() + "': value " + input[i] +
                " for key " + keys[i / length] + " (element " + (i % length) + ") is not finite; " +
                "expected finite floats (allow them with GridConfig.allowNonFinite(true))");
        }
    }

}
