package org.intentgrid.jet;

import com.hazelcast.jet.config.ProcessingGuarantee;
import com.hazelcast.jet.core.AbstractProcessor;
import com.hazelcast.jet.core.BroadcastKey;
import org.intentgrid.GridMember;
import org.intentgrid.GridStats;
import org.intentgrid.OpHandle;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.SampleHandle;
import org.intentgrid.Table;

import java.io.Serializable;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The processor behind a {@link TrainingStage}: a look-ahead window of items and one grid worker.
 * <p>
 * An item entering the window gets the clock of the step that will train it and, at once, intents for its keys and
 * prepared negative samples for that clock, so the grid has {@code lookahead / itemsPerStep} clocks to make them
 * local. The oldest step is trained when the window holds more than {@code lookahead} items, when its oldest item
 * waited {@code maxWaitMillis}, or when the input ends. A step's pulls that are not answered yet put the processor in
 * the waiting state: it takes no items and returns at once until they are (a cooperative thread never blocks).
 * <p>
 * At-least-once: before Jet saves a snapshot the processor finishes the step in flight, waits for every push to
 * be acknowledged and for its member's own updates to reach the member's backup, reports, then saves the items
 * still in its window; a restart restores them and signals their intents again. Items trained after the last
 * snapshot are trained again after a restart from it. Exactly-once adds {@link ExactlyOnceCheckpoints}: no training
 * from a snapshot until its grid checkpoint is written, nor at an execution's start until the grid is rolled back.
 */
final class TrainingProcessor<T> extends AbstractProcessor
{
    private static final long NO_EVENT_TIME = Long.MIN_VALUE;
    /** Jet wraps the items of a stream with timestamps in this class, and expects the same of what we emit. */
    private static final String TIMESTAMPED_ITEM = "com.hazelcast.jet.impl.JetEvent";
    /** Every processor saves the number of the snapshot under this key, and every processor restores it. */
    private static final BroadcastKey<String> SNAPSHOT_NUMBER = BroadcastKey.broadcastKey("intentgrid-snapshot");

    private final TrainingStage<T> stage;
    private final ArrayDeque<Waiting<T>> window = new ArrayDeque<>();
    private final List<OpHandle> unacknowledgedPushes = new ArrayList<>();
    private final List<Object> restoredItems = new ArrayList<>();
    /** One step is in flight at a time, and push copies its input: a step's arrays serve the next step too. */
    private final StepBuffers keyBuffers = new StepBuffers();
    private final StepBuffers negativeBuffers = new StepBuffers();
    private final StepBuffers sampleBuffers = new StepBuffers();
    private GridMember gridMember;
    private ParameterWorker worker;
    private CompletableFuture<Void> backupFence;
    /** Null unless the job is exactly-once. */
    private ExactlyOnceCheckpoints exactlyOnce;
    private Table[] tables;
    private Table[] negativeTables;
    private int processor;
    private String member;
    private long maxWaitNanos;
    private long reportNanos;
    /** The clock of the step that the next item entering the window joins, and how many items it has. */
    private long nextClock;
    private int itemsAtNextClock;
    private long sequence;
    private Step<T> inFlight;
    /** The window's items while a snapshot saves them; {@link #sequence} is the next one to save. */
    private Waiting<?>[] snapshotting;
    private TrainingEvent unsent;
    private long itemsTotal;
    private long rejectedTotal;
    private long intervalItems;
    private double intervalLoss;
    private double intervalLag;
    private long intervalLagged;
    private long intervalMaxLag;
    private long lastReportNanos;
    private GridStats lastStats;

    /** An item in the window with what was signalled for it. */
    private record Waiting<T>(T item, long[][] keys, SampleHandle[] samples, long clock, long enteredNanos)
    {
    }

    /** A step whose pulls were issued. */
    private record Step<T>(List<Waiting<T>> entries, StepBatch<T> batch, long[][] negativeKeysPerItem,
                           float[][] negativeValuesPerItem, List<OpHandle> pulls)
    {
    }

    /** The snapshot key of a window item: unique per processor and item. */
    record WindowKey(int processor, long sequence) implements Serializable
    {
    }

    TrainingProcessor(final TrainingStage<T> stage)
    {
        this.stage = stage;
    }

    @Override
    public boolean isCooperative()
    {
        return true;
    }

    @Override
    protected void init(final Context context)
    {
        gridMember = GridMember.of(context.hazelcastInstance());
        final ParameterGrid grid = gridMember.grid();
        final List<TrainingStage.TableKeys<T>> keys = stage.keys();
        tables = new Table[keys.size()];
        for (int t = 0; t < tables.length; t++)
        {
            tables[t] = grid.table(keys.get(t).table());
        }
        final List<TrainingStage.NegativeSample> negatives = stage.negatives();
        negativeTables = new Table[negatives.size()];
        for (int n = 0; n < negativeTables.length; n++)
        {
            final TrainingStage.NegativeSample negative = negatives.get(n);
            negativeTables[n] = grid.table(negative.table());
            synchronized (gridMember)
            {
                if (negative.sampling() != null && !gridMember.samplingEnabled(negativeTables[n]))
                {
                    gridMember.enableSampling(negativeTables[n], negative.sampling().get());
                }
            }
        }
        processor = context.globalProcessorIndex();
        member = gridMember.id().toString();
        maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(stage.maxWaitMillis());
        reportNanos = TimeUnit.MILLISECONDS.toNanos(stage.reportEveryMillis());
        worker = gridMember.worker();
        nextClock = worker.clock();
        lastStats = worker.stats();
        lastReportNanos = System.nanoTime();
        exactlyOnce = exactlyOnce(context, grid);
    }

    private ExactlyOnceCheckpoints exactlyOnce(final Context context, final ParameterGrid grid)
    {
        final boolean exact = context.processingGuarantee() == ProcessingGuarantee.EXACTLY_ONCE;
        if (exact != (stage.checkpointDirectory() != null))
        {
            throw new IllegalStateException("TrainingStage '" + stage.name() + "': " + (exact ?
                "the job's processing guarantee is EXACTLY_ONCE, which needs grid checkpoints; give the stage " +
                    "a directory with TrainingStage.Builder.checkpointDirectory" :
                "it has a checkpoint directory, which is for exactly-once training, but the job's processing " +
                    "guarantee is " + context.processingGuarantee() + "; set JobConfig.setProcessingGuarantee(" +
                    "EXACTLY_ONCE) or drop checkpointDirectory"));
        }
        if (!exact)
        {
            return null;
        }
        // a table both keyed and sampled (kge's entities) is checkpointed once
        final Set<Table> used = new LinkedHashSet<>(List.of(tables));
        used.addAll(List.of(negativeTables));
        return new ExactlyOnceCheckpoints(grid, List.copyOf(used), Paths.get(stage.checkpointDirectory()),
            context.jobId(), context.executionId(), processor, context.totalParallelism(),
            context.hazelcastInstance().getMap(ExactlyOnceCheckpoints.MARKS_MAP), member + "/" + processor,
            context.logger());
    }

    /**
     * @return true if the processor may train (always, unless exactly-once waits for the start's rollback); the
     *         items of a restored window enter it only then, as their intents would move keys during a rollback
     */
    private boolean mayTrain()
    {
        if (exactlyOnce == null)
        {
            return true;
        }
        if (!exactlyOnce.mayTrain())
        {
            return false;
        }
        admitRestored();
        return true;
    }

    private void admitRestored()
    {
        for (final Object item : restoredItems)
        {
            @SuppressWarnings("unchecked")
            final T typed = (T)item;
            admit(typed);
        }
        restoredItems.clear();
    }

    @Override
    protected boolean tryProcess(final int ordinal, final Object item)
    {
        if (!mayTrain() || !flushUnsent() || !progressStep())
        {
            return false;
        }
        if (item.getClass().getName().equals(TIMESTAMPED_ITEM))
        {
            throw new IllegalStateException("TrainingStage '" + stage.name() + "' got a timestamped item; apply it " +
                "to a stream without timestamps (withoutTimestamps() on the source) and give event times with " +
                "TrainingStage.Builder.eventTime");
        }
        @SuppressWarnings("unchecked")
        final T typed = (T)item;
        final String reason = admit(typed);
        if (reason != null)
        {
            rejectedTotal++;
            unsent = new RejectedItem(processor, item, reason);
            flushUnsent();
            return true;
        }
        trainWhileDue(false);
        return true;
    }

    @Override
    public boolean tryProcess()
    {
        if (!mayTrain())
        {
            // true: nothing to do before the start's rollback is done
            return true;
        }
        if (!flushUnsent() || !progressStep())
        {
            return false;
        }
        trainWhileDue(false);
        return reportIfDue();
    }

    @Override
    public boolean complete()
    {
        if (!mayTrain() || !flushUnsent() || !progressStep())
        {
            return false;
        }
        trainWhileDue(true);
        if (inFlight != null || !window.isEmpty() || !pushesAcknowledged() || !report())
        {
            return false;
        }
        if (exactlyOnce != null)
        {
            exactlyOnce.finished();
        }
        return true;
    }

    @Override
    public boolean saveToSnapshot()
    {
        if (snapshotting == null)
        {
            if (!mayTrain() || !flushUnsent() || !progressStep() || !pushesAcknowledged() || !backedUp())
            {
                return false;
            }
            // the report before the barrier: a restart from this snapshot forgets counts not reported yet
            if (!report())
            {
                return false;
            }
            backupFence = null;
            snapshotting = window.toArray(new Waiting<?>[0]);
            sequence = exactlyOnce == null ? 0 : -1;
        }
        if (sequence < 0)
        {
            if (!tryEmitToSnapshot(SNAPSHOT_NUMBER, exactlyOnce.nextSnapshot()))
            {
                return false;
            }
            sequence = 0;
        }
        // an item the full outbox refused is offered again at the next call
        while (sequence < snapshotting.length)
        {
            if (!tryEmitToSnapshot(new WindowKey(processor, sequence), snapshotting[(int)sequence].item()))
            {
                return false;
            }
            sequence++;
        }
        snapshotting = null;
        if (exactlyOnce != null)
        {
            exactlyOnce.saved();
        }
        return true;
    }

    @Override
    public boolean snapshotCommitPrepare()
    {
        return exactlyOnce == null || exactlyOnce.prepared();
    }

    @Override
    public boolean snapshotCommitFinish(final boolean success)
    {
        if (exactlyOnce != null)
        {
            exactlyOnce.committed(success);
        }
        return true;
    }

    @Override
    protected void restoreFromSnapshot(final Object key, final Object value)
    {
        if (key instanceof BroadcastKey)
        {
            if (exactlyOnce != null)
            {
                exactlyOnce.restored((Long)value);
            }
            return;
        }
        restoredItems.add(value);
    }

    @Override
    public boolean finishSnapshotRestore()
    {
        if (exactlyOnce == null)
        {
            admitRestored();
        }
        return true;
    }

    @Override
    public void close()
    {
        if (exactlyOnce != null)
        {
            exactlyOnce.close();
        }
        if (worker != null)
        {
            worker.close();
        }
    }

    /** Puts an item into the window with its intents and samples; returns why it was rejected, or null. */
    private String admit(final T item)
    {
        final long[][] keys = new long[tables.length][];
        for (int t = 0; t < tables.length; t++)
        {
            final String reason = keysOf(item, t, keys);
            if (reason != null)
            {
                return reason;
            }
        }
        if (itemsAtNextClock == stage.itemsPerStep())
        {
            nextClock++;
            itemsAtNextClock = 0;
        }
        final long clock = nextClock;
        itemsAtNextClock++;
        for (int t = 0; t < tables.length; t++)
        {
            if (keys[t].length > 0)
            {
                worker.intent(tables[t], keys[t], clock, clock + 1);
            }
        }
        final SampleHandle[] samples = new SampleHandle[negativeTables.length];
        for (int n = 0; n < samples.length; n++)
        {
            samples[n] = worker.prepareSample(negativeTables[n], stage.negatives().get(n).perItem(), clock,
                clock + 1);
        }
        window.addLast(new Waiting<>(item, keys, samples, clock, System.nanoTime()));
        return null;
    }

    private String keysOf(final T item, final int t, final long[][] keys)
    {
        final long[] named;
        try
        {
            named = stage.keys().get(t).keysOf().applyEx(item);
        }
        catch (final Exception e)
        {
            return "the keys function of table '" + tables[t].name() + "' failed: " + e;
        }
        if (named == null)
        {
            return "the keys function of table '" + tables[t].name() + "' returned null; expected an array of keys";
        }
        for (final long key : named)
        {
            if (key < 0 || key >= tables[t].size())
            {
                return "key " + key + " is out of range of table '" + tables[t].name() + "'; expected 0 <= key < " +
                    tables[t].size();
            }
        }
        keys[t] = named.clone();
        return null;
    }

    /** Starts steps while one is due and the previous one completed inside the call. */
    private void trainWhileDue(final boolean drain)
    {
        while (inFlight == null && !window.isEmpty() && (drain || window.size() > stage.lookahead() ||
            System.nanoTime() - window.peekFirst().enteredNanos() >= maxWaitNanos))
        {
            start();
            progressStep();
        }
    }

    /** Issues the pulls of the oldest step: every window item with the oldest clock. */
    private void start()
    {
        final long clock = window.peekFirst().clock();
        if (clock == nextClock)
        {
            nextClock++;
            itemsAtNextClock = 0;
        }
        final List<Waiting<T>> entries = new ArrayList<>();
        while (!window.isEmpty() && window.peekFirst().clock() == clock)
        {
            entries.add(window.pollFirst());
        }
        while (worker.clock() < clock)
        {
            worker.advanceClock();
        }
        final int items = entries.size();
        final List<OpHandle> pulls = new ArrayList<>();
        final int[] valueLengths = new int[tables.length];
        final int[][] keyStarts = new int[tables.length][items + 1];
        final long[][] keys = new long[tables.length][];
        final float[][] values = new float[tables.length][];
        final float[][] updates = new float[tables.length][];
        for (int t = 0; t < tables.length; t++)
        {
            valueLengths[t] = tables[t].valueLength();
            for (int i = 0; i < items; i++)
            {
                keyStarts[t][i + 1] = keyStarts[t][i] + entries.get(i).keys()[t].length;
            }
            keys[t] = keyBuffers.keys(t, keyStarts[t][items]);
            for (int i = 0; i < items; i++)
            {
                final long[] itemKeys = entries.get(i).keys()[t];
                System.arraycopy(itemKeys, 0, keys[t], keyStarts[t][i], itemKeys.length);
            }
            values[t] = keyBuffers.values(t, keys[t].length * valueLengths[t]);
            updates[t] = keyBuffers.updates(t, values[t].length);
            if (keys[t].length > 0)
            {
                pulls.add(worker.pull(tables[t], keys[t], values[t]));
            }
        }
        final int samples = negativeTables.length;
        final int[] negativeLengths = new int[samples];
        final int[] perItem = new int[samples];
        final long[][] negativeKeys = new long[samples][];
        final float[][] negativeValues = new float[samples][];
        final float[][] negativeUpdates = new float[samples][];
        final long[][] keysPerItem = new long[samples * items][];
        final float[][] valuesPerItem = new float[samples * items][];
        for (int n = 0; n < samples; n++)
        {
            negativeLengths[n] = negativeTables[n].valueLength();
            perItem[n] = stage.negatives().get(n).perItem();
            negativeKeys[n] = negativeBuffers.keys(n, items * perItem[n]);
            negativeValues[n] = negativeBuffers.values(n, negativeKeys[n].length * negativeLengths[n]);
            negativeUpdates[n] = negativeBuffers.updates(n, negativeValues[n].length);
            for (int i = 0; i < items; i++)
            {
                final int at = n * items + i;
                keysPerItem[at] = sampleBuffers.keys(at, perItem[n]);
                valuesPerItem[at] = sampleBuffers.values(at, perItem[n] * negativeLengths[n]);
                pulls.add(worker.pullSample(entries.get(i).samples()[n], keysPerItem[at], valuesPerItem[at]));
            }
        }
        final List<T> stepItems = new ArrayList<>(items);
        for (final Waiting<T> entry : entries)
        {
            stepItems.add(entry.item());
        }
        final StepBatch<T> batch = new StepBatch<>(stepItems, valueLengths, keyStarts, keys, values, updates,
            negativeLengths, perItem, negativeKeys, negativeValues, negativeUpdates);
        inFlight = new Step<>(entries, batch, keysPerItem, valuesPerItem, pulls);
    }

    /** @return true if no step is in flight any more (it was trained now or before) */
    private boolean progressStep()
    {
        if (inFlight == null)
        {
            return true;
        }
        for (final OpHandle pull : inFlight.pulls())
        {
            if (!pull.isDone())
            {
                return false;
            }
        }
        for (final OpHandle pull : inFlight.pulls())
        {
            pull.await(0, TimeUnit.MILLISECONDS);
        }
        final Step<T> step = inFlight;
        inFlight = null;
        train(step);
        return true;
    }

    private void train(final Step<T> step)
    {
        final int items = step.entries().size();
        final StepBatch<T> batch = step.batch();
        for (int n = 0; n < negativeTables.length; n++)
        {
            for (int i = 0; i < items; i++)
            {
                final int at = n * items + i;
                final long[] keys = step.negativeKeysPerItem()[at];
                final float[] values = step.negativeValuesPerItem()[at];
                System.arraycopy(keys, 0, batch.negativeKeysOf(n), i * keys.length, keys.length);
                System.arraycopy(values, 0, batch.negativeValues(n), i * values.length, values.length);
                worker.finishSample(step.entries().get(i).samples()[n]);
            }
        }
        final double loss = stage.step().train(batch);
        for (int t = 0; t < tables.length; t++)
        {
            if (batch.keysOf(t).length > 0)
            {
                remember(worker.push(tables[t], batch.keysOf(t), batch.updates(t)));
            }
        }
        for (int n = 0; n < negativeTables.length; n++)
        {
            if (batch.negativeKeysOf(n).length > 0)
            {
                remember(worker.push(negativeTables[n], batch.negativeKeysOf(n), batch.negativeUpdates(n)));
            }
        }
        worker.advanceClock();
        itemsTotal += items;
        intervalItems += items;
        intervalLoss += loss;
        if (stage.eventTime() != null)
        {
            final long now = System.currentTimeMillis();
            for (final Waiting<T> entry : step.entries())
            {
                final long eventTime = eventTimeOf(entry.item());
                if (eventTime != NO_EVENT_TIME)
                {
                    final long lag = Math.max(0, now - eventTime);
                    intervalLag += lag;
                    intervalLagged++;
                    intervalMaxLag = Math.max(intervalMaxLag, lag);
                }
            }
        }
    }

    private long eventTimeOf(final T item)
    {
        try
        {
            return stage.eventTime().applyAsLongEx(item);
        }
        catch (final Exception e)
        {
            return NO_EVENT_TIME;
        }
    }

    private void remember(final OpHandle push)
    {
        if (push != OpHandle.DONE)
        {
            unacknowledgedPushes.add(push);
        }
    }

    /**
     * @return true once this member's own updates made so far are in its backup: a crash after the snapshot could
     *         otherwise lose updates of items the snapshot says were trained (pushes to other members are safe
     *         once acknowledged)
     */
    private boolean backedUp()
    {
        if (backupFence == null)
        {
            backupFence = gridMember.backedUp();
        }
        return backupFence.isDone();
    }

    /** @return true once every push made so far is acknowledged by the key's owner */
    private boolean pushesAcknowledged()
    {
        final Iterator<OpHandle> pushes = unacknowledgedPushes.iterator();
        while (pushes.hasNext())
        {
            final OpHandle push = pushes.next();
            if (!push.isDone())
            {
                return false;
            }
            push.await(0, TimeUnit.MILLISECONDS);
            pushes.remove();
        }
        return true;
    }

    private boolean reportIfDue()
    {
        return System.nanoTime() - lastReportNanos < reportNanos || report();
    }

    /** Emits a report of the interval that ends now; returns false if the outbox had no room (retried later). */
    private boolean report()
    {
        pushesAcknowledged();
        final GridStats stats = worker.stats();
        final long accessed = stats.keysAccessed() - lastStats.keysAccessed();
        final long local = stats.keysLocal() - lastStats.keysLocal();
        final TrainingReport report = new TrainingReport(processor, member, System.currentTimeMillis(), itemsTotal,
            intervalItems, intervalItems == 0 ? Double.NaN : intervalLoss / intervalItems,
            accessed == 0 ? Double.NaN : (double)local / accessed, worker.clock(), window.size(), rejectedTotal,
            intervalLagged == 0 ? Double.NaN : intervalLag / intervalLagged, intervalMaxLag);
        if (!tryEmit(report))
        {
            return false;
        }
        lastStats = stats;
        lastReportNanos = System.nanoTime();
        intervalItems = 0;
        intervalLoss = 0;
        intervalLag = 0;
        intervalLagged = 0;
        intervalMaxLag = 0;
        return true;
    }

    private boolean flushUnsent()
    {
        if (unsent != null && tryEmit(unsent))
        {
            unsent = null;
        }
        return unsent == null;
    }
}
