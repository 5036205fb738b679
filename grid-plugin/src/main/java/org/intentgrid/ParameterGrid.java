package org.intentgrid;

import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.intentgrid.internal.MemberRuntime;
import org.intentgrid.hazelcast.HazelcastGrid;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Entry point: a parameter grid with one or more members running in this JVM.
 * <pre>{@code
 * try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(2))) {
 *     Table entities = grid.table(TableSpec.of("entities", 280, 200).init(Init.normal(0, 0.1, 42)));
 *     try (ParameterWorker w = grid.member(1).worker()) {
 *         w.pull(entities, keys, values).await();
 *     }
 * }
 * }</pre>
 * {@link #start} starts embedded Hazelcast members on 127.0.0.1 that form their own cluster;
 * {@link #attach} uses a member that is already running (the plugin jar must be on its classpath).
 * Closing a grid that started its members shuts them down; closing an attached grid leaves the member running.
 */
public final class ParameterGrid implements AutoCloseable
{
    private static final long CLUSTER_FORM_TIMEOUT_MILLIS = 60_000;

    private final GridConfig config;
    private final boolean ownsMembers;
    private final List<GridMember> members = new CopyOnWriteArrayList<>();
    private final Map<String, EnabledSampling> sampling = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Sampling settings applied to members that join later. */
    private record EnabledSampling(Table table, Sampling sampling)
    {
    }

    private ParameterGrid(final GridConfig config, final boolean ownsMembers)
    {
        this.config = config;
        this.ownsMembers = ownsMembers;
    }

    /**
     * Starts {@code config.members()} embedded members in this JVM and waits until they form one cluster.
     */
    public static ParameterGrid start(final GridConfig config)
    {
        final ParameterGrid grid = new ParameterGrid(config, true);
        try
        {
            for (int i = 0; i < config.members(); i++)
            {
                grid.addMember();
            }
        }
        catch (final RuntimeException e)
        {
            grid.close();
            throw e;
        }
        return grid;
    }

    /** Uses an already running Hazelcast member that has the plugin on its classpath. */
    public static ParameterGrid attach(final HazelcastInstance instance, final GridConfig config)
    {
        final ParameterGrid grid = new ParameterGrid(config, false);
        grid.members.add(grid.wrap(instance));
        return grid;
    }

    /** Like {@link #attach(HazelcastInstance, GridConfig)} with default settings. */
    public static ParameterGrid attach(final HazelcastInstance instance)
    {
        return attach(instance, GridConfig.embedded());
    }

    /**
     * Starts one more embedded member that joins this grid's cluster (elastic scale-out).
     *
     * @return the new member, once the cluster sees it
     */
    public GridMember addMember()
    {
        checkOpen("addMember");
        if (!ownsMembers)
        {
            throw new IllegalStateException("addMember: this grid is attached to an existing member; start members " +
                "through Hazelcast instead");
        }
        final HazelcastInstance instance = Hazelcast.newHazelcastInstance(hazelcastConfig(config));
        final GridMember member = wrap(instance);
        members.add(member);
        awaitClusterSize(instance, members.size());
        return member;
    }

    /**
     * Declares a table cluster-wide. Idempotent for the same spec. A name whose table was dropped can be declared
     * again, with any shape: that makes a new table, with the initial values of {@code spec}, and the returned handle's
     * spec carries the name's next {@linkplain TableSpec#incarnation() incarnation}; handles of the dropped table stay
     * refused.
     *
     * @return the declared table
     * @throws IllegalArgumentException if a table of that name exists with another shape
     */
    public Table table(final TableSpec spec)
    {
        checkOpen("table");
        final Table table = new Table(TableRegistry.declare(anyMember().hazelcast(), spec));
        for (final GridMember member : members)
        {
            if (member.isRunning())
            {
                member.store(table);
            }
        }
        return table;
    }

    /**
     * Creates every key of {@code table} in bulk on the local members ({@link GridMember#materializeHome} on each at
     * once), so that training does not pay for first touches. With every member of the cluster local (an embedded
     * grid) that is every key; keys whose home is a member of another process are created by its own call or on
     * first touch.
     *
     * @return keys created by the local members (now or before)
     * @throws OffHeapExhaustedException if a member has no room for its keys; keys created so far stay
     */
    public long materializeAll(final Table table)
    {
        checkOpen("materializeAll");
        final List<CompletableFuture<Long>> counts = new ArrayList<>();
        for (final GridMember member : members)
        {
            counts.add(CompletableFuture.supplyAsync(() -> member.materializeHome(table), runnable ->
            {
                final Thread thread = new Thread(runnable, "intentgrid-materialize-" + member.id());
                thread.setDaemon(true);
                thread.start();
            }));
        }
        long total = 0;
        for (final CompletableFuture<Long> count : counts)
        {
            try
            {
                total += count.join();
            }
            catch (final CompletionException e)
            {
                throw e.getCause() instanceof RuntimeException ? (RuntimeException)e.getCause() : e;
            }
        }
        return total;
    }

    /** @return every table declared in the cluster, by name */
    public List<Table> tables()
    {
        checkOpen("tables");
        final List<Table> tables = new ArrayList<>();
        for (final TableSpec spec : TableRegistry.all(anyMember().hazelcast()))
        {
            tables.add(new Table(spec));
        }
        return tables;
    }

    /**
     * Writes a checkpoint of every declared table to {@code directory} (created if need be; a directory every member
     * can write to, such as a local one for an embedded or forked grid). Every member first merges its replicas'
     * updates, then writes the main copies it holds (one file per table and member, with a CRC32C); the manifest
     * is written last, so a checkpoint that did not finish is recognized as such. All updates acknowledged before
     * the call are in it. Checkpoint while the workers are idle (between epochs): keys moving between members
     * would be missing, which the checkpoint detects (it compares the keys written with those the homes record)
     * and answers by writing again, failing after three tries.
     *
     * @throws IllegalArgumentException if {@code directory} is null
     * @throws IllegalStateException    if keys kept moving while it was written
     * @throws java.io.UncheckedIOException if a file cannot be written
     */
    public void checkpoint(final Path directory)
    {
        checkOpen("checkpoint");
        if (directory == null)
        {
            throw new IllegalArgumentException("checkpoint: directory must not be null");
        }
        Checkpoints.checkpoint(anyMember(), directory, null);
    }

    /**
     * Writes a checkpoint of {@code tables} only, otherwise like {@link #checkpoint(Path)}: for a job that owns some
     * tables of a grid other jobs use too, and may {@link #rollback} them without touching the others.
     *
     * @throws IllegalArgumentException if {@code directory} is null, or {@code tables} is empty or holds null or a
     *                                  table twice
     */
    public void checkpoint(final Path directory, final List<Table> tables)
    {
        checkOpen("checkpoint");
        if (directory == null || tables == null || tables.isEmpty())
        {
            throw new IllegalArgumentException("checkpoint: directory must not be null and tables must name at least " +
                "one table, got " + directory + " and " + tables);
        }
        final List<TableSpec> specs = new ArrayList<>();
        for (final Table table : tables)
        {
            if (table == null || specs.contains(table.spec()))
            {
                throw new IllegalArgumentException("checkpoint: tables must hold distinct tables and no null, got " +
                    tables);
            }
            specs.add(table.spec());
        }
        Checkpoints.checkpoint(anyMember(), directory, specs);
    }

    /**
     * Loads a checkpoint written by {@link #checkpoint} (by a grid of any member count) into this grid: declares its
     * tables and sets every key it holds; keys it does not hold keep their initial values, as they had. Every file
     * is checked in full (sizes, headers, CRC32C) before anything is loaded.
     *
     * @throws IllegalArgumentException if {@code directory} holds no complete, intact checkpoint (nothing is
     *                                  loaded), or a table exists here with another shape
     */
    public void restore(final Path directory)
    {
        checkOpen("restore");
        if (directory == null)
        {
            throw new IllegalArgumentException("restore: directory must not be null");
        }
        Checkpoints.restore(this, directory, false, UnaryOperator.identity());
    }

    /**
     * Loads a checkpoint as {@link #restore(Path)} does, into tables named by {@code tableNames} from the names they
     * had when it was written (same sizes, value lengths and initializers): for a job whose tables are named per run,
     * such as a training run resumed on a long-lived cluster under a new run's names, or a model loaded next to the
     * one it came from. Keys the checkpoint does not hold start from their initializer under the new name (an
     * initializer's values are seeded by the table's name too).
     *
     * @throws IllegalArgumentException if {@code directory} holds no complete, intact checkpoint, if
     *                                  {@code tableNames} gives no valid table name for one of its tables or one name
     *                                  for two of them (nothing is loaded), or a table exists here with another shape
     */
    public void restore(final Path directory, final UnaryOperator<String> tableNames)
    {
        checkOpen("restore");
        if (directory == null || tableNames == null)
        {
            throw new IllegalArgumentException("restore: directory and tableNames must not be null, got " +
                directory + " and " + tableNames);
        }
        Checkpoints.restore(this, directory, false, tableNames);
    }

    /**
     * @return true if {@code directory} holds a checkpoint whose writing finished (its manifest was written last);
     *         its files are checked in full only by {@link #restore} and {@link #rollback}
     * @throws IllegalArgumentException if {@code directory} is null
     */
    public static boolean isCompleteCheckpoint(final Path directory)
    {
        if (directory == null)
        {
            throw new IllegalArgumentException("isCompleteCheckpoint: directory must not be null");
        }
        return Files.isRegularFile(directory.resolve(Checkpoints.MANIFEST));
    }

    /**
     * Sets the checkpoint's tables back to their state in a checkpoint written by {@link #checkpoint}: every key the
     * checkpoint holds gets its value from it, every other existing key of those tables its initial value, as if
     * nothing had happened to them since (tables not in the checkpoint are not touched). Every file is checked in
     * full before anything changes. Call it while no worker uses those tables: keys moving between members while
     * the tables are reset are detected, and the reset is repeated, failing after three tries. This is how a Jet
     * training job with exactly-once processing returns to the grid state of the snapshot it restarts from.
     *
     * @throws IllegalArgumentException if {@code directory} holds no complete, intact checkpoint (nothing is
     *                                  changed), or a table exists here with another shape
     * @throws IllegalStateException    if keys kept moving while the tables were reset
     */
    public void rollback(final Path directory)
    {
        checkOpen("rollback");
        if (directory == null)
        {
            throw new IllegalArgumentException("rollback: directory must not be null");
        }
        Checkpoints.restore(this, directory, true, UnaryOperator.identity());
    }

    /**
     * Exports every key of {@code table} to {@code file} in NumPy's {@code .npy} format: float32, little-endian,
     * shape {@code (table.size(), table.valueLength())}, row = key ({@code numpy.load(file)}, or
     * {@code torch.from_numpy(numpy.load(file))}). Keys never touched are created with their initial value.
     *
     * @throws IllegalArgumentException if an argument is null
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public void export(final Table table, final Path file)
    {
        checkOpen("export");
        if (table == null || file == null)
        {
            throw new IllegalArgumentException("export: table and file must not be null");
        }
        Checkpoints.export(this, table, file);
    }

    /**
     * Drops a table on every member of the cluster: its main copies, replicas and directory entries are forgotten,
     * its native memory is freed, and its sampling ends. Its name can be declared again ({@link #table(TableSpec)}),
     * which makes a new table that this handle never reaches. A member that joins later is told of the drop by the
     * members that know of it, shortly after it joined.
     * Workers' calls on it fail from then on with an {@link IllegalStateException}; calls in flight during the drop
     * may fail the same way. Returns once every member confirmed and the local members' memory is free (about a
     * second: freeing waits out lock-free readers). Idempotent.
     *
     * @throws IllegalArgumentException if {@code table} is null
     * @throws IllegalStateException    if a member did not confirm within the request timeout
     */
    public void drop(final Table table)
    {
        checkOpen("drop");
        if (table == null)
        {
            throw new IllegalArgumentException("drop: table must not be null");
        }
        TableRegistry.drop(anyMember().hazelcast(), table.spec());
        sampling.remove(table.spec().id());
        anyMember().dropEverywhere(table);
        for (final GridMember member : members)
        {
            member.awaitDropped(table);
        }
    }

    /**
     * @return the table of that name, declared earlier by any member
     * @throws IllegalArgumentException if no such table was declared
     */
    public Table table(final String name)
    {
        checkOpen("table");
        return new Table(TableRegistry.lookup(anyMember().hazelcast(), name));
    }

    /**
     * Enables sampling of {@code table} on every local member, and on members added later; see
     * {@link GridMember#enableSampling}.
     */
    public void enableSampling(final Table table, final Sampling sampling)
    {
        checkOpen("enableSampling");
        for (final GridMember member : members)
        {
            member.enableSampling(table, sampling);
        }
        this.sampling.put(table.spec().id(), new EnabledSampling(table, sampling));
    }

    /** @return sampling statistics of {@code table} summed over the local members */
    public SamplingStats samplingStats(final Table table)
    {
        SamplingStats sum = null;
        for (final GridMember member : members)
        {
            final SamplingStats stats = member.samplingStats(table);
            sum = sum == null ? stats : sum.plus(stats);
        }
        if (sum == null)
        {
            throw new IllegalStateException("samplingStats: the grid has no running member");
        }
        return sum;
    }

    /** @return a worker on the first member */
    public ParameterWorker worker()
    {
        return anyMember().worker();
    }

    /** @return the i-th local member */
    public GridMember member(final int index)
    {
        if (index < 0 || index >= members.size())
        {
            throw new IllegalArgumentException("member index " + index + " out of range; this grid has " +
                members.size() + " local members");
        }
        return members.get(index);
    }

    /** @return the local members, in start order */
    public List<GridMember> members()
    {
        return new ArrayList<>(members);
    }

    /** @return the settings */
    public GridConfig config()
    {
        return config;
    }

    /**
     * Runs {@link GridMember#waitSync()} on every local member at once: replica updates made before the call
     * have reached their owners. Call it twice after updates stopped for every replica to equal its main copy.
     */
    public void waitSync()
    {
        final List<Thread> threads = new ArrayList<>();
        final java.util.concurrent.ConcurrentLinkedQueue<RuntimeException> failures =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (final GridMember member : members)
        {
            final Thread t = new Thread(() ->
            {
                try
                {
                    member.waitSync();
                }
                catch (final RuntimeException e)
                {
                    failures.add(e);
                }
            }, "waitSync-" + member.id().toString().substring(0, 8));
            t.start();
            threads.add(t);
        }
        for (final Thread t : threads)
        {
            try
            {
                t.join();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted in waitSync", e);
            }
        }
        if (!failures.isEmpty())
        {
            throw failures.peek();
        }
    }

    /** @return statistics summed over the local members */
    public GridStats stats()
    {
        GridStats sum = GridStats.ZERO;
        for (final GridMember member : members)
        {
            sum = sum.plus(member.stats());
        }
        return sum;
    }

    /**
     * Shuts down the members this grid started, one at a time, each handing its main copies to those
     * still running. An attached member is left running.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (ownsMembers)
        {
            for (final GridMember member : members())
            {
                member.leave();
            }
        }
        members.clear();
    }

    void removed(final GridMember member)
    {
        members.remove(member);
    }

    private GridMember wrap(final HazelcastInstance instance)
    {
        final Supplier<MemberRuntime> runtime = HazelcastGrid.runtimeSource(instance);
        runtime.get().configure(config);
        final GridMember member = new GridMember(this, instance, runtime);
        member.register();
        for (final EnabledSampling enabled : sampling.values())
        {
            // a table dropped through another grid of the cluster is not sampled on the members that join later
            if (TableRegistry.isDropped(instance, enabled.table().spec()))
            {
                sampling.remove(enabled.table().spec().id());
            }
            else
            {
                member.enableSampling(enabled.table(), enabled.sampling());
            }
        }
        return member;
    }

    /** @return the first member of this grid that still runs (one may have been terminated under it) */
    GridMember anyMember()
    {
        for (final GridMember member : members)
        {
            if (member.isRunning())
            {
                return member;
            }
        }
        throw new IllegalStateException("the grid has no running member");
    }

    private void checkOpen(final String op)
    {
        if (closed)
        {
            throw new IllegalStateException(op + ": the grid is closed");
        }
    }

    private static void awaitClusterSize(final HazelcastInstance instance, final int size)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLUSTER_FORM_TIMEOUT_MILLIS);
        while (instance.getCluster().getMembers().size() < size || !instance.getPartitionService().isClusterSafe())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("members did not form a cluster of " + size + " within " +
                    CLUSTER_FORM_TIMEOUT_MILLIS + " ms (cluster has " + instance.getCluster().getMembers().size() +
                        ")");
            }
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the cluster formed", e);
            }
        }
    }

    /**
     * The Hazelcast configuration of an embedded member: loopback only, TCP-IP join, no multicast, few
     * threads (several members share a small machine in one JVM), Java serialization of listed classes only
     * ({@link GridConfig#javaSerializationPrefixes}).
     */
    public static Config hazelcastConfig(final GridConfig config)
    {
        final Config hz = new Config();
        hz.setClusterName(config.clusterName());
        hz.setProperty("hazelcast.phone.home.enabled", "false");
        hz.setProperty("hazelcast.socket.bind.any", "false");
        hz.setProperty("hazelcast.wait.seconds.before.join", "0");
        hz.setProperty("hazelcast.tcp.join.port.try.count", "64");
        hz.setProperty("hazelcast.partition.operation.thread.count", "2");
        hz.setProperty("hazelcast.operation.generic.thread.count", "2");
        hz.setProperty("hazelcast.graceful.shutdown.max.wait", "60");
        if (config.failureDetectionSeconds() > 0)
        {
            hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
            hz.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(config.failureDetectionSeconds()));
        }
        config.toProperties(hz::setProperty);
        final JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig().setDefaultsDisabled(false);
        filter.getWhitelist().addPrefixes(config.javaSerializationPrefixes().toArray(new String[0]));
        hz.getSerializationConfig().setJavaSerializationFilterConfig(filter);
        if (config.jetThreads() > 0)
        {
            hz.getJetConfig().setEnabled(true).setCooperativeThreadCount(config.jetThreads());
        }
        else
        {
            hz.getJetConfig().setEnabled(false);
        }
        final NetworkConfig network = hz.getNetworkConfig();
        network.setPort(config.basePort()).setPortAutoIncrement(true).setPortCount(500);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        final JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
        return hz;
    }
}
