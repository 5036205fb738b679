package org.intentgrid.jet;

import com.hazelcast.function.FunctionEx;
import com.hazelcast.function.SupplierEx;
import com.hazelcast.function.ToLongFunctionEx;
import com.hazelcast.jet.core.ProcessorMetaSupplier;
import com.hazelcast.jet.pipeline.BatchStage;
import com.hazelcast.jet.pipeline.StreamStage;
import org.intentgrid.Sampling;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A training stage for any Jet pipeline: each processor keeps a look-ahead window of the stream's items, signals
 * intent for every item's keys as the item enters the window (the grid moves or replicates them in time), trains the
 * oldest items when their values are local, and pushes the updates.
 * <pre>{@code
 * TrainingStage<Triple> training = TrainingStage.<Triple>builder("kge")
 *     .keys("entities", t -> new long[] {t.subject(), t.object()})
 *     .keys("relations", t -> new long[] {t.relation()})
 *     .negatives("entities", 4)
 *     .lookahead(1000)
 *     .step(batch -> model.train(batch))
 *     .build();
 * StreamStage<TrainingEvent> events = training.applyTo(pipeline.readFrom(source).withoutTimestamps().rebalance());
 * }</pre>
 * The input must be a stream without timestamps (Jet hands a custom stage timestamped items in a wrapper of its
 * internals); give event times with {@link Builder#eventTime} instead. Jet feeds a stage from the processors of the
 * same member unless the input is {@code rebalance()}d: rebalance a source that runs on one member, or partition
 * the input by key ({@code rebalance(keyFn)}) to keep each key's items on one member.
 * The stage emits {@link TrainingReport}s every {@link Builder#reportEveryMillis} per processor and a
 * {@link RejectedItem} for every item it cannot train. Tables must be declared ({@code ParameterGrid.table}) before
 * the job starts; negative sampling must be enabled on the members or given here. Jet must be on in the members
 * ({@code GridConfig.jet(threads)} for embedded ones).
 * <p>
 * Jobs with processing guarantee at-least-once get it for training: before a snapshot each processor finishes its
 * step in flight, waits until its pushes are acknowledged and its member's own updates are in the member's backup,
 * then saves the items still in its window; a restart restores them and signals their intents again. No item is lost
 * across a restart; items trained after the last snapshot are trained again (none after a graceful
 * {@code Job.restart()}, which takes a terminal snapshot).
 * <p>
 * Jobs with processing guarantee exactly-once get it for training too, with {@link Builder#checkpointDirectory}:
 * the grid keeps no history, so each Jet snapshot is aligned with a checkpoint of the stage's tables. After saving
 * its window a processor trains nothing until every processor saved it and one of them (the first to claim it) has
 * written the tables' checkpoint, all in Jet's first snapshot phase: Jet commits a snapshot only with its checkpoint
 * written. A restart from snapshot {@code n} rolls the tables back to checkpoint {@code n}
 * ({@code ParameterGrid.rollback}) before any processor trains, or to the checkpoint taken when the job first started
 * if it restarts without a snapshot. Every item's update is then in the tables exactly once, also when a member
 * crashes (its updates not yet backed up are rolled back with the rest). The cost:
 * training pauses for a checkpoint of the tables after every snapshot. Other jobs and workers must not write the
 * stage's tables while it runs, or a rollback undoes their updates as well.
 *
 * @param <T> the stream's item type; it travels through Jet, so it must be serializable
 */
public final class TrainingStage<T> implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final String name;
    private final List<TableKeys<T>> keys;
    private final List<NegativeSample> negatives;
    private final int lookahead;
    private final int itemsPerStep;
    private final long maxWaitMillis;
    private final long reportEveryMillis;
    private final ToLongFunctionEx<? super T> eventTime;
    private final TrainingStep<T> step;
    private final int localParallelism;
    private final String checkpointDirectory;

    /** The keys one item names in one table. */
    record TableKeys<T>(String table, FunctionEx<? super T, long[]> keysOf) implements Serializable
    {
    }

    /** Negative keys drawn for each item from one table. */
    record NegativeSample(String table, int perItem, SupplierEx<Sampling> sampling) implements Serializable
    {
    }

    private TrainingStage(final Builder<T> builder)
    {
        this.name = builder.name;
        this.keys = List.copyOf(builder.keys);
        this.negatives = List.copyOf(builder.negatives);
        this.lookahead = builder.lookahead;
        this.itemsPerStep = builder.itemsPerStep;
        this.maxWaitMillis = builder.maxWaitMillis;
        this.reportEveryMillis = builder.reportEveryMillis;
        this.eventTime = builder.eventTime;
        this.step = builder.step;
        this.localParallelism = builder.localParallelism;
        this.checkpointDirectory = builder.checkpointDirectory;
    }

    /**
     * @param name the stage's name in the job's graph
     * @param <T>  the stream's item type
     * @return a builder with the defaults: look-ahead 1000 items, one item per step, 100 ms maximum wait, a report
     *         every second, one processor per member
     */
    public static <T> Builder<T> builder(final String name)
    {
        if (name == null || name.isEmpty())
        {
            throw new IllegalArgumentException("TrainingStage.builder: name must be non-empty");
        }
        return new Builder<>(name);
    }

    /** @return the processors of this stage, for {@code customTransform} or a hand-built DAG */
    public ProcessorMetaSupplier metaSupplier()
    {
        return ProcessorMetaSupplier.of(localParallelism, () -> new TrainingProcessor<>(this));
    }

    /** @return the stage's events, trained from {@code input}, a stream without timestamps */
    public StreamStage<TrainingEvent> applyTo(final StreamStage<T> input)
    {
        final StreamStage<TrainingEvent> events = input.customTransform(name, metaSupplier());
        return events.setLocalParallelism(localParallelism);
    }

    /** @return the stage's events, trained from {@code input} (for example several passes over a file) */
    public BatchStage<TrainingEvent> applyTo(final BatchStage<T> input)
    {
        final BatchStage<TrainingEvent> events = input.customTransform(name, metaSupplier());
        return events.setLocalParallelism(localParallelism);
    }

    String name()
    {
        return name;
    }

    List<TableKeys<T>> keys()
    {
        return keys;
    }

    List<NegativeSample> negatives()
    {
        return negatives;
    }

    int lookahead()
    {
        return lookahead;
    }

    int itemsPerStep()
    {
        return itemsPerStep;
    }

    long maxWaitMillis()
    {
        return maxWaitMillis;
    }

    long reportEveryMillis()
    {
        return reportEveryMillis;
    }

    ToLongFunctionEx<? super T> eventTime()
    {
        return eventTime;
    }

    TrainingStep<T> step()
    {
        return step;
    }

    /** @return where exactly-once jobs keep their grid checkpoints, or null */
    String checkpointDirectory()
    {
        return checkpointDirectory;
    }

    /**
     * Collects a {@link TrainingStage}'s settings; each setter validates its argument at once.
     *
     * @param <T> the stream's item type
     */
    public static final class Builder<T>
    {
        private final String name;
        private final List<TableKeys<T>> keys = new ArrayList<>();
        private final List<NegativeSample> negatives = new ArrayList<>();
        private int lookahead = 1000;
        private int itemsPerStep = 1;
        private long maxWaitMillis = 100;
        private long reportEveryMillis = 1000;
        private ToLongFunctionEx<? super T> eventTime;
        private TrainingStep<T> step;
        private int localParallelism = 1;
        private String checkpointDirectory;

        private Builder(final String name)
        {
            this.name = name;
        }

        /**
         * Declares a table the items read and update: {@code keysOf} names an item's keys in it (any number, in the
         * order the step sees them; throwing or returning a key out of range rejects the item). Tables are
         * numbered from 0 in the order of these calls.
         */
        public Builder<T> keys(final String table, final FunctionEx<? super T, long[]> keysOf)
        {
            if (table == null || table.isEmpty() || keysOf == null)
            {
                throw new IllegalArgumentException("keys: table must be non-empty and keysOf non-null");
            }
            keys.add(new TableKeys<>(table, keysOf));
            return this;
        }

        /**
         * Draws {@code perItem} negative keys of {@code table} for each item through the grid's sampling API,
         * prepared when the item enters the window. Sampling of the table must be enabled on the members
         * ({@code ParameterGrid.enableSampling}).
         */
        public Builder<T> negatives(final String table, final int perItem)
        {
            return negatives(table, perItem, null);
        }

        /**
         * Like {@link #negatives(String, int)}; members where sampling of {@code table} is not enabled yet enable
         * it with {@code sampling}'s result (for members the job's submitter did not set up).
         */
        public Builder<T> negatives(final String table, final int perItem, final SupplierEx<Sampling> sampling)
        {
            if (table == null || table.isEmpty() || perItem < 1)
            {
                throw new IllegalArgumentException("negatives: table must be non-empty and perItem >= 1, got '" +
                    table + "' and " + perItem);
            }
            negatives.add(new NegativeSample(table, perItem, sampling));
            return this;
        }

        /** @param items how many items ahead of training intents are signalled, {@code >= 0}; 0 signals none ahead */
        public Builder<T> lookahead(final int items)
        {
            if (items < 0)
            {
                throw new IllegalArgumentException("lookahead must be >= 0 items, got " + items);
            }
            this.lookahead = items;
            return this;
        }

        /** @param items items per training step (and per clock of the worker), {@code >= 1} */
        public Builder<T> itemsPerStep(final int items)
        {
            if (items < 1)
            {
                throw new IllegalArgumentException("itemsPerStep must be >= 1, got " + items);
            }
            this.itemsPerStep = items;
            return this;
        }

        /** @param millis the longest an item waits in the window before it is trained anyway, {@code >= 0} */
        public Builder<T> maxWaitMillis(final long millis)
        {
            if (millis < 0)
            {
                throw new IllegalArgumentException("maxWaitMillis must be >= 0, got " + millis);
            }
            this.maxWaitMillis = millis;
            return this;
        }

        /** @param millis interval of each processor's {@link TrainingReport}s, {@code >= 1} */
        public Builder<T> reportEveryMillis(final long millis)
        {
            if (millis < 1)
            {
                throw new IllegalArgumentException("reportEveryMillis must be >= 1, got " + millis);
            }
            this.reportEveryMillis = millis;
            return this;
        }

        /** @param eventTime an item's event time in epoch milliseconds, for the lag in reports (optional) */
        public Builder<T> eventTime(final ToLongFunctionEx<? super T> eventTime)
        {
            this.eventTime = eventTime;
            return this;
        }

        /** @param step the training step (required) */
        public Builder<T> step(final TrainingStep<T> step)
        {
            if (step == null)
            {
                throw new IllegalArgumentException("step must not be null");
            }
            this.step = step;
            return this;
        }

        /** @param processors training processors per member, {@code 1..64} (each has its own worker and window) */
        public Builder<T> localParallelism(final int processors)
        {
            if (processors < 1 || processors > 64)
            {
                throw new IllegalArgumentException("localParallelism must be in 1..64, got " + processors);
            }
            this.localParallelism = processors;
            return this;
        }

        /**
         * Gives the stage exactly-once training, for a job with processing guarantee {@code EXACTLY_ONCE} (which then
         * requires it): after each Jet snapshot the stage's tables are checkpointed into
         * {@code directory/job-<id>/snapshot-<n>} before any processor trains again, and a restart rolls them back to
         * the checkpoint of the snapshot it restarts from (see the class comment).
         *
         * @param directory a directory every member can write to and read from (local for embedded or forked
         *                  members, a shared file system across machines)
         */
        public Builder<T> checkpointDirectory(final String directory)
        {
            if (directory == null || directory.isEmpty())
            {
                throw new IllegalArgumentException("checkpointDirectory must be a non-empty path, got '" + directory +
                    "'");
            }
            this.checkpointDirectory = directory;
            return this;
        }

        /**
         * @return the stage
         * @throws IllegalStateException if no table or no step was given
         */
        public TrainingStage<T> build()
        {
            if (keys.isEmpty() && negatives.isEmpty())
            {
                throw new IllegalStateException("TrainingStage '" + name + "': no table; call keys(table, keysOf)");
            }
            if (step == null)
            {
                throw new IllegalStateException("TrainingStage '" + name + "': no training step; call step(fn)");
            }
            return new TrainingStage<>(this);
        }
    }
}
