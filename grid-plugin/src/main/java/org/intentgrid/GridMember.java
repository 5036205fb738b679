package org.intentgrid;

import com.hazelcast.core.HazelcastInstance;
import org.intentgrid.hazelcast.HazelcastGrid;
import org.intentgrid.internal.CheckpointPart;
import org.intentgrid.internal.MemberRuntime;
import org.intentgrid.internal.MemberStats;
import org.intentgrid.internal.StoreListener;
import org.intentgrid.internal.TableStore;
import org.intentgrid.spi.Mode;
import org.intentgrid.spi.SamplerProvider;
import org.intentgrid.spi.SamplingCounters;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One member of the grid that runs in this JVM: the place where workers are created and where
 * member-level statistics and locality can be inspected.
 */
public final class GridMember
{
    /** What kind of local copy of a key a member holds. */
    public enum CopyState
    {
        /** No local copy. */
        NONE,
        /** The main copy. */
        MAIN,
        /** A usable replica of a key owned elsewhere. */
        REPLICA,
        /** A replica requested for an intent and not set up yet (not usable). */
        PLACEHOLDER
    }

    /** The members of this JVM by Hazelcast instance name (unique among running instances of one JVM). */
    private static final Map<String, GridMember> BY_INSTANCE_NAME = new ConcurrentHashMap<>();

    private final ParameterGrid grid;
    private final HazelcastInstance instance;
    private final Supplier<MemberRuntime> runtime;
    private final Set<ParameterWorker> workers = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, SamplingState> sampling = new ConcurrentHashMap<>();

    GridMember(final ParameterGrid grid, final HazelcastInstance instance, final Supplier<MemberRuntime> runtime)
    {
        this.grid = grid;
        this.instance = instance;
        this.runtime = runtime;
    }

    /**
     * The grid member that runs in a Hazelcast member of this JVM: the one a {@link ParameterGrid} of this JVM
     * started or attached, or else a new attachment that keeps the member's own settings. This is how code that
     * Hazelcast runs on a member (a Jet processor, an executor task) finds the grid there.
     *
     * @param instance a running member (not a client) with the plugin on its classpath
     * @throws IllegalArgumentException if {@code instance} is null
     * @throws IllegalStateException    if the member does not run the grid service
     */
    public static GridMember of(final HazelcastInstance instance)
    {
        if (instance == null)
        {
            throw new IllegalArgumentException("GridMember.of: instance must not be null");
        }
        final GridMember known = BY_INSTANCE_NAME.get(instance.getName());
        if (known != null && known.isRunning())
        {
            return known;
        }
        synchronized (BY_INSTANCE_NAME)
        {
            final GridMember again = BY_INSTANCE_NAME.get(instance.getName());
            if (again != null && again.isRunning())
            {
                return again;
            }
            return ParameterGrid.attach(instance, HazelcastGrid.runtime(instance).config()).member(0);
        }
    }

    /** Makes {@link #of} find this member; a later registration of the same instance replaces an earlier one. */
    void register()
    {
        BY_INSTANCE_NAME.put(instance.getName(), this);
    }

    /** @return a new worker on this member; close it when the thread is done */
    public ParameterWorker worker()
    {
        if (!instance.getLifecycleService().isRunning())
        {
            throw new IllegalStateException("member " + id() + " has left the grid; no new workers");
        }
        final ParameterWorker worker = new ParameterWorker(this, runtime.get().newWorker(),
            runtime.get().config().allowNonFinite());
        workers.add(worker);
        return worker;
    }

    /** @return this member's id */
    public UUID id()
    {
        return runtime.get().self();
    }

    /** @return the Hazelcast member underneath */
    public HazelcastInstance hazelcast()
    {
        return instance;
    }

    /** @return the grid this member belongs to */
    public ParameterGrid grid()
    {
        return grid;
    }

    /** @return true if this member holds the main copy of {@code key} now */
    public boolean holdsMain(final Table table, final long key)
    {
        return copyState(table, key) == CopyState.MAIN;
    }

    /** @return the kind of local copy of {@code key} held here now */
    public CopyState copyState(final Table table, final long key)
    {
        checkKey(table, key, "copyState");
        switch (store(table).localState(key))
        {
            case MAIN:
                return CopyState.MAIN;
            case REPLICA:
                return CopyState.REPLICA;
            case PLACEHOLDER:
                return CopyState.PLACEHOLDER;
            default:
                return CopyState.NONE;
        }
    }

    /** @return true if {@code key} is usable here without a remote call (main copy or replica) */
    public boolean isLocal(final Table table, final long key)
    {
        final CopyState state = copyState(table, key);
        return state == CopyState.MAIN || state == CopyState.REPLICA;
    }

    /** @return number of replicas and placeholders of the table held here */
    public long replicas(final Table table)
    {
        return store(table).replicas();
    }

    /** @return this member's share of each table it holds (without creating a store for a table it never used) */
    List<MemberReport.TableShare> tableShares()
    {
        final List<MemberReport.TableShare> shares = new ArrayList<>();
        for (final TableStore store : runtime.get().liveTables())
        {
            shares.add(new MemberReport.TableShare(store.spec().name(), store.mainCopies(), store.replicas(),
                store.offHeapBytes()));
        }
        shares.sort(Comparator.comparing(MemberReport.TableShare::table));
        return shares;
    }

    /** Blocks until this member completed two sync rounds that started after the call. */
    public void waitSync()
    {
        runtime.get().waitSync();
    }

    /** @return statistics of this member's sync task and of the decisions it took as owner */
    public SyncStats syncStats()
    {
        final MemberStats s = runtime.get().stats();
        return new SyncStats(s.rounds(), s.messagesSent(), s.keysSent(), s.bytesSent(), s.messagesServed(),
            s.replicateDecisions(), s.relocateDecisions(), s.trackedKeys(), s.deltasInFlight(), s.syncErrors(),
            s.keysVisited(), s.hotLaneKeys(), s.hotLanePromotions(), runtime.get().policy().describe());
    }

    /** @return what this member did for crash safety: backup flushes, backups it holds, recoveries it ran */
    public BackupStats backupStats()
    {
        return runtime.get().backupStats();
    }

    /**
     * Sends the main copies that changed since the last backup flush to this member's backup holder now and waits
     * for it: updates applied here so far survive this member's crash. Flushes also run by themselves every
     * {@link GridConfig#backupFlushMillis}.
     *
     * @throws IllegalStateException if the holder did not answer within the request timeout
     */
    public void flushBackup()
    {
        runtime.get().flushBackup();
    }

    /**
     * {@link #flushBackup()} without waiting: a stream processor that must not block calls it before it declares
     * its progress durable (a Jet snapshot), and polls the future.
     *
     * @return completes once every update this member applied before the call is in its backup holder's copy (the
     *         flush starts now; at once when the member has no holder, for example with backups off)
     */
    public CompletableFuture<Void> backedUp()
    {
        return runtime.get().afterBackupFlush();
    }

    /** Writes out this member's buffered key trace (see {@link GridConfig#traceDirectory(String)}). */
    public void flushTrace()
    {
        runtime.get().flushTrace();
    }

    /** @return the intent mode this member runs */
    public Mode mode()
    {
        return runtime.get().policy().mode();
    }

    /**
     * Enables {@link ParameterWorker#prepareSample sampling} of {@code table} on this member, replacing an earlier
     * setting (samples prepared before keep their old scheme). Needs the intent service on the classpath.
     *
     * @throws IllegalArgumentException if the distribution's keys are not all keys of the table, or a pool
     *                                  without replacement is larger than the key range
     * @throws IllegalStateException    if no sampling implementation is on the classpath
     */
    public void enableSampling(final Table table, final Sampling sampling)
    {
        if (table == null || sampling == null)
        {
            throw new IllegalArgumentException("enableSampling: table and sampling must not be null");
        }
        store(table);
        final KeyDistribution distribution = sampling.distribution();
        if (distribution.minKey() < 0 || distribution.maxKey() > table.size() ||
            distribution.minKey() >= distribution.maxKey())
        {
            throw new IllegalArgumentException("enableSampling on table '" + table.name() + "': distribution " +
                distribution + " draws keys [" + distribution.minKey() + ", " + distribution.maxKey() + "); " +
                "expected a non-empty range inside the table's keys [0, " + table.size() + ")");
        }
        final SamplingScheme scheme = sampling.scheme() != null ? sampling.scheme() :
            runtime.get().config().samplingScheme();
        final long range = distribution.maxKey() - distribution.minKey();
        if (scheme == SamplingScheme.POOL && !sampling.withReplacement() && sampling.poolSize() > range)
        {
            throw new IllegalArgumentException("enableSampling on table '" + table.name() + "': a pool of " +
                sampling.poolSize() + " distinct keys cannot be drawn from " + range + " keys; expected poolSize <= " +
                range + " when sampling without replacement");
        }
        final SamplerProvider provider = ServiceLoader.load(SamplerProvider.class, GridMember.class.getClassLoader())
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("enableSampling on table '" + table.name() + "': no " +
                "sampling implementation on the classpath (org.intentgrid.spi.SamplerProvider); add intent-service"));
        final SamplingCounters counters = new SamplingCounters();
        runtime.get().samplingEnabled(table.spec().id(), counters);
        // the member's address, not its place in its grid: a member is often its grid's only one (one per JVM), and
        // members of one cluster must not draw the same keys; an address is unique in the cluster and the same in
        // every run that binds the same port
        final String address = instance.getCluster().getLocalMember().getAddress().toString();
        final long seed = Hashing.mix64(sampling.seed() ^ Hashing.mix64(Hashing.nameHash(address)) ^
            Hashing.nameHash(table.name()));
        this.sampling.put(table.spec().id(), new SamplingState(table, sampling, scheme,
            provider.create(table, sampling, scheme, counters, seed), counters, seed));
    }

    /** @return true if {@link #enableSampling} (on this member or on its grid) enabled sampling of {@code table} */
    public boolean samplingEnabled(final Table table)
    {
        if (table == null)
        {
            throw new IllegalArgumentException("samplingEnabled: table must not be null");
        }
        return sampling.containsKey(table.spec().id()) && !forgetIfDropped(table);
    }

    /**
     * @return the sampling statistics of {@code table} on this member since sampling was last enabled for it
     * @throws IllegalStateException if sampling of the table is not enabled here
     */
    public SamplingStats samplingStats(final Table table)
    {
        final SamplingState state = samplingState(table, "samplingStats");
        return state.counters.snapshot(state.scheme);
    }

    SamplingState samplingState(final Table table, final String op)
    {
        if (forgetIfDropped(table))
        {
            throw new IllegalStateException(op + " on table '" + table.name() + "': the table was dropped, and its " +
                "sampling with it; declare the table again and enable its sampling");
        }
        final SamplingState state = sampling.get(table.spec().id());
        if (state == null)
        {
            throw new IllegalStateException(op + " on table '" + table.name() + "': sampling is not enabled on this " +
                "member; call enableSampling(table, Sampling.of(distribution)) on the grid or member first");
        }
        return state;
    }

    /** A table dropped anywhere in the cluster is no longer sampled here: its sampler goes with it. */
    private boolean forgetIfDropped(final Table table)
    {
        if (!runtime.get().isDropped(table.spec()))
        {
            return false;
        }
        sampling.remove(table.spec().id());
        return true;
    }

    /**
     * @return bytes of native memory the table's values and slot headers take on this member (main copies, replicas
     *         and placeholders; memory of a table this member no longer reaches is returned after a garbage collection)
     */
    public long offHeapBytes(final Table table)
    {
        return store(table).offHeapBytes();
    }

    /** @return bytes of native memory all tables, and the backups of other members' main copies, take on this member */
    public long offHeapBytes()
    {
        return runtime.get().offHeapBytes();
    }

    /**
     * @return the most native memory this member's tables may take ({@link GridConfig#maxOffHeapBytes}), {@link
     *         Long#MAX_VALUE} for no cap
     */
    public long maxOffHeapBytes()
    {
        return runtime.get().maxOffHeapBytes();
    }

    /**
     * @return the most native memory the tables and backups of every member of this JVM may take together now: the
     *         machine's memory (a container's limit inside one) less the JVM's heap (its maximum, at most half the
     *         machine, or what it holds if that is more) and
     *         {@link GridConfig#machineMemoryReserveBytes}; {@link Long#MAX_VALUE} if the JVM does not know the
     *         machine's memory
     */
    public long machineOffHeapLimit()
    {
        return runtime.get().machineOffHeapLimit();
    }

    /**
     * @return the memory the machine this member runs on has available now, for every process on it (on Linux: the
     *         least of {@code MemAvailable} and the limits of the member's memory cgroups less their usage; read at
     *         most once a second): creating a key fails once it would leave less than
     *         {@link GridConfig#machineMemoryReserveBytes}; {@link Long#MAX_VALUE} if the machine does not tell
     */
    public long machineAvailableBytes()
    {
        return runtime.get().machineAvailableBytes();
    }

    /**
     * Creates, from the table's initializer, the main copy of every key whose home this member is and that no member
     * created yet, in bulk (one pass over the key range, then batches of keys per partition on the partition
     * threads) instead of one first touch at a time. Keys created meanwhile by any member, or whose home moves
     * meanwhile, are left as they are. Blocks until done; not to be called on a Hazelcast thread.
     *
     * @return keys of the table whose home is this member and whose main copy was created here, now or before
     * @throws OffHeapExhaustedException if this member has no room for them; the keys created so far stay
     */
    public long materializeHome(final Table table)
    {
        store(table);
        return runtime.get().materializeHome(table.spec());
    }

    /** @return number of main copies of the table held here */
    public long mainCopies(final Table table)
    {
        return store(table).mainCopies();
    }

    /**
     * @return the owner recorded by this member's home directory for {@code key}, or null if this member
     *         is not the key's home or the key was never materialized
     */
    public UUID directoryOwner(final Table table, final long key)
    {
        checkKey(table, key, "directoryOwner");
        return runtime.get().directoryOwner(table.spec(), key);
    }

    /** @return true if this member is the home of {@code key} (owns its Hazelcast partition) */
    public boolean isHome(final Table table, final long key)
    {
        checkKey(table, key, "isHome");
        return runtime.get().isHome(table.spec(), key);
    }

    /** @return statistics of this member: its workers (live and closed) plus what it served and relocated */
    public GridStats stats()
    {
        return runtime.get().accessStats();
    }

    /**
     * Leaves the grid gracefully: closes this member's workers, hands every main copy to the remaining
     * members, then shuts the Hazelcast member down.
     */
    public void leave()
    {
        for (final ParameterWorker worker : workers)
        {
            worker.close();
        }
        instance.shutdown();
        BY_INSTANCE_NAME.remove(instance.getName(), this);
        grid.removed(this);
    }

    /** @return true while the member runs */
    public boolean isRunning()
    {
        return instance.getLifecycleService().isRunning();
    }

    List<List<CheckpointPart>> checkpointCluster(final String directory, final List<TableSpec> specs)
    {
        return runtime.get().checkpointCluster(directory, specs);
    }

    void resetCluster(final List<TableSpec> specs)
    {
        runtime.get().resetCluster(specs);
    }

    void syncCluster()
    {
        runtime.get().syncCluster();
    }

    void dropEverywhere(final Table table)
    {
        runtime.get().dropEverywhere(table.spec());
    }

    /** Drops the table here too, if the cluster-wide drop did not reach this member yet, and waits for its memory. */
    void awaitDropped(final Table table)
    {
        runtime.get().dropLocal(table.spec()).join();
        sampling.remove(table.spec().id());
    }

    TableStore store(final Table table)
    {
        if (table == null)
        {
            throw new IllegalArgumentException("table must not be null");
        }
        return runtime.get().table(table.spec());
    }

    private static void checkKey(final Table table, final long key, final String op)
    {
        if (table == null)
        {
            throw new IllegalArgumentException(op + ": table must not be null");
        }
        if (key < 0 || key >= table.size())
        {
            throw new IllegalArgumentException(op + " on table '" + table.name() + "': key " + key + " is out of " +
                "range; expected 0 <= key < " + table.size());
        }
    }

    /** Installs an observer of main-copy ownership changes on this member (tests that check invariants). */
    void listener(final StoreListener listener)
    {
        runtime.get().listener(listener);
    }

    /** A worker of this member was closed. */
    void retire(final ParameterWorker worker)
    {
        workers.remove(worker);
    }

    @Override
    public String toString()
    {
        return "GridMember{" + instance.getCluster().getLocalMember().getAddress() + "}";
    }
}
