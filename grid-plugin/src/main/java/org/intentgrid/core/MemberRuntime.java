package org.intentgrid.core;

import org.agrona.collections.LongHashSet;
import org.intentgrid.GridConfig;
import org.intentgrid.Hashing;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.IntentPolicy;
import org.intentgrid.spi.IntentPolicyProvider;
import org.intentgrid.spi.Mode;
import org.intentgrid.spi.StaticPolicy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything one member runs for the grid: its tables' stores, its share of the home directory, the
 * serving side of remote requests, and graceful hand-off on leave.
 * <p>
 * Created by the cluster adapter when the member starts; workers reach it through the public API.
 */
public final class MemberRuntime
{
    private static final int HANDOFF_BATCH = 4096;

    private final ClusterPort port;
    private final UUID self;
    private final String selfName;
    private final Peers peers = new Peers();
    private final Directory directory;
    private final ConcurrentHashMap<String, TableStore> tables = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor;
    private final AtomicLong relocationsIn = new AtomicLong();
    private final AtomicLong relocationsOut = new AtomicLong();
    private final AtomicLong keysServedForOthers = new AtomicLong();
    private final AtomicLong replicateDecisions = new AtomicLong();
    private final AtomicLong relocateDecisions = new AtomicLong();
    private final AtomicLong syncMessagesServed = new AtomicLong();
    /** Keys each requester (peer index, channel) asked this member to refresh in its latest sync message. */
    private final ConcurrentHashMap<Long, Map<String, LongHashSet>> interest = new ConcurrentHashMap<>();
    private volatile StoreListener listener = StoreListener.NONE;
    private volatile GridConfig config;
    private volatile IntentPolicy policy;
    private volatile SyncManager syncManager;
    private volatile TraceWriter trace;
    private volatile boolean leaving;

    public MemberRuntime(final ClusterPort port, final GridConfig config)
    {
        this.port = port;
        this.self = port.localMember();
        this.selfName = self.toString();
        this.directory = new Directory(port.partitionCount());
        final ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, r ->
        {
            final Thread t = new Thread(r, "intentgrid-io-" + selfName.substring(0, 8));
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
        this.config = config;
        this.policy = createPolicy(config);
        this.syncManager = new SyncManager(this, config.channels(), config.maxRoundsPerSecond());
        openTrace(config);
    }

    private void openTrace(final GridConfig config)
    {
        if (config.traceDirectory() != null && trace == null)
        {
            trace = new TraceWriter(java.nio.file.Paths.get(config.traceDirectory()), selfName);
            listener = trace;
        }
    }

    /** Writes out the buffered key trace, if tracing is on. */
    public void flushTrace()
    {
        final TraceWriter current = trace;
        if (current != null)
        {
            current.flush();
        }
    }

    private static IntentPolicy createPolicy(final GridConfig config)
    {
        if (config.mode() == Mode.STATIC)
        {
            return new StaticPolicy();
        }
        for (final IntentPolicyProvider provider : ServiceLoader.load(IntentPolicyProvider.class,
            MemberRuntime.class.getClassLoader()))
        {
            return provider.create(config.mode(), config.actImmediately());
        }
        throw new IllegalStateException("mode " + config.mode().label() + " needs the intent-service module on the " +
            "classpath (no org.intentgrid.spi.IntentPolicyProvider found); use mode static without it");
    }

    /** @return the intent policy of this member */
    public IntentPolicy policy()
    {
        return policy;
    }

    /** @return the sync manager of this member */
    public SyncManager syncManager()
    {
        return syncManager;
    }

    /** @return this member's id */
    public UUID self()
    {
        return self;
    }

    /** @return the cluster port */
    public ClusterPort port()
    {
        return port;
    }

    /** @return the home directory share of this member */
    public Directory directory()
    {
        return directory;
    }

    /** @return the executor that runs request continuations and retries */
    public ScheduledExecutorService executor()
    {
        return executor;
    }

    /** @return settings in force */
    public GridConfig config()
    {
        return config;
    }

    /**
     * Applies grid settings (from the API that attached to this member).
     *
     * @throws IllegalStateException if the intent settings change after workers were created
     */
    public synchronized void configure(final GridConfig config)
    {
        final GridConfig old = this.config;
        final boolean intentSettingsChange = old.mode() != config.mode() || old.actImmediately() != config.actImmediately() ||
            old.channels() != config.channels() || old.maxRoundsPerSecond() != config.maxRoundsPerSecond();
        if (intentSettingsChange)
        {
            if (policy.workerCount() > 0)
            {
                throw new IllegalStateException("cannot change mode or sync settings of a member that has workers " +
                    "(was " + old.mode().label() + ", asked " + config.mode().label() + ")");
            }
            syncManager.close();
            policy = createPolicy(config);
            syncManager = new SyncManager(this, config.channels(), config.maxRoundsPerSecond());
        }
        this.config = config;
        openTrace(config);
    }

    /** Installs an ownership listener; affects tables created afterwards. */
    public void listener(final StoreListener listener)
    {
        this.listener = listener;
    }

    /** @return true once hand-off for leaving has begun */
    public boolean leaving()
    {
        return leaving;
    }

    /**
     * @return the member-local store of the table, created on first use
     * @throws IllegalArgumentException if a table of that name with another shape is known here
     */
    public TableStore table(final TableSpec spec)
    {
        TableStore store = tables.get(spec.name());
        if (store == null)
        {
            final int stripes = (int)Math.min(1024, Integer.highestOneBit((int)Math.min(1 << 30, spec.size())));
            store = tables.computeIfAbsent(spec.name(),
                n -> new TableStore(spec, Math.max(1, stripes), selfName, listener, w -> policy.clock(w)));
        }
        if (store.spec() != spec && !store.spec().equals(spec))
        {
            throw new IllegalArgumentException("table '" + spec.name() + "' exists with " + store.spec().shape() +
                "; cannot use it as " + spec.shape());
        }
        return store;
    }

    /** @return the home partition of a key; the same on every member */
    public int partitionOf(final TableSpec spec, final long key)
    {
        return (int)Long.remainderUnsigned(Hashing.mix64(spec.nameHash() ^ key * 0x9E3779B97F4A7C15L),
            port.partitionCount());
    }

    int peerIndex(final UUID member)
    {
        return peers.index(member);
    }

    UUID peer(final int index)
    {
        return peers.uuid(index);
    }

    void countRelocationIn(final int keys)
    {
        relocationsIn.addAndGet(keys);
    }

    /** @return keys relocated to this member */
    public long relocationsIn()
    {
        return relocationsIn.get();
    }

    /** @return keys relocated away from this member */
    public long relocationsOut()
    {
        return relocationsOut.get();
    }

    /** @return keys of other members' requests served by this member's store */
    public long keysServedForOthers()
    {
        return keysServedForOthers.get();
    }

    /** Serves a request that a member sent straight to this one (a route hint or cached location). */
    public DataReply serveDirect(final DataRequest request, final UUID caller)
    {
        if (request.kind == DataRequest.ADOPT)
        {
            return adopt(request);
        }
        return serve(request, caller, -1);
    }

    /**
     * Serves a request for keys of one home partition; runs on that partition's thread at its owner, which
     * makes it the only place where keys are materialized and where the directory changes.
     */
    public DataReply serveAtHome(final int partition, final DataRequest request, final UUID caller)
    {
        if (request.kind == DataRequest.NOTICE)
        {
            return notice(partition, request);
        }
        return serve(request, caller, partition);
    }

    /** Applies directory entries sent by a partition owner to this backup. */
    public void applyBackup(final int partition, final DirectoryChunk chunk)
    {
        directory.apply(partition, chunk);
    }

    private DataReply serve(final DataRequest request, final UUID caller, final int homePartition)
    {
        final TableStore table = table(request.spec);
        final int n = request.keys.length;
        final int length = table.valueLength();
        final byte kind = request.kind;
        final boolean returnsValues = kind == DataRequest.PULL || kind == DataRequest.LOCALIZE;
        final boolean localize = kind == DataRequest.LOCALIZE;
        final DataReply reply = new DataReply(new byte[n], returnsValues ? new float[n * length] : null,
            localize ? new long[n] : null, new long[n], null);
        final int callerPeer = peers.index(caller);
        final String tableName = request.spec.name();
        final AddScratch scratch = kind == DataRequest.PUSH ? new AddScratch(length) : null;
        DirectoryChanges changes = null;
        int served = 0;
        for (int i = 0; i < n; i++)
        {
            final long key = request.keys[i];
            final Stripe stripe = table.stripe(key);
            final long stamp = stripe.lock();
            try
            {
                int slot = stripe.mainSlotOf(key);
                if (slot < 0)
                {
                    if (homePartition < 0)
                    {
                        reply.miss(i, missHint(request.spec, stripe, key));
                        continue;
                    }
                    final Directory.Entry entry = directory.get(homePartition, tableName, key);
                    if (entry == null && !leaving)
                    {
                        slot = table.materialize(stripe, key);
                        directory.putIfNewer(homePartition, tableName, key, self, 0);
                        changes = DirectoryChanges.add(changes, key, self, 0);
                    }
                    else if (entry != null && !entry.owner.equals(self))
                    {
                        reply.miss(i, entry.owner);
                        continue;
                    }
                    else
                    {
                        final int hint = stripe.hint(key);
                        if (hint >= 0)
                        {
                            reply.miss(i, peers.uuid(hint));
                        }
                        else
                        {
                            reply.status[i] = DataReply.WAIT;
                        }
                        continue;
                    }
                }
                switch (kind)
                {
                    case DataRequest.PULL:
                        stripe.copyOut(slot, reply.values, i * length);
                        reply.versions[i] = stripe.version(slot);
                        break;
                    case DataRequest.PUSH:
                        stripe.push(slot, request.values, i * length, scratch);
                        reply.versions[i] = stripe.version(slot);
                        break;
                    case DataRequest.SET:
                        stripe.copyIn(slot, request.values, i * length);
                        stripe.version(slot, stripe.version(slot) + 1);
                        reply.versions[i] = stripe.version(slot);
                        break;
                    case DataRequest.LOCALIZE:
                        reply.versions[i] = stripe.version(slot);
                        final long counter = table.take(stripe, slot, reply.values, i * length, callerPeer);
                        reply.counters[i] = counter;
                        relocationsOut.incrementAndGet();
                        if (homePartition >= 0)
                        {
                            directory.putIfNewer(homePartition, tableName, key, caller, counter);
                            changes = DirectoryChanges.add(changes, key, caller, counter);
                        }
                        break;
                    default:
                        throw new IllegalArgumentException("request kind " + DataRequest.kindName(kind) +
                            " cannot be served from a store");
                }
                served++;
            }
            finally
            {
                stripe.unlock(stamp);
            }
        }
        keysServedForOthers.addAndGet(served);
        if (changes != null)
        {
            reply.directoryChanges = changes.toChunk(tableName);
        }
        return reply;
    }

    /** Where to look for a key this member does not hold: its forward hint, else what the home knows, else the home. */
    private UUID missHint(final TableSpec spec, final Stripe stripe, final long key)
    {
        final int hint = stripe.hint(key);
        if (hint >= 0)
        {
            return peers.uuid(hint);
        }
        final int partition = partitionOf(spec, key);
        if (self.equals(port.partitionOwner(partition)))
        {
            final Directory.Entry entry = directory.get(partition, spec.name(), key);
            if (entry != null && !entry.owner.equals(self))
            {
                return entry.owner;
            }
        }
        return null;
    }

    private DataReply notice(final int partition, final DataRequest request)
    {
        final int n = request.keys.length;
        DirectoryChanges changes = null;
        for (int i = 0; i < n; i++)
        {
            if (directory.putIfNewer(partition, request.spec.name(), request.keys[i], request.subject, request.counters[i]))
            {
                changes = DirectoryChanges.add(changes, request.keys[i], request.subject, request.counters[i]);
            }
        }
        final DataReply reply = new DataReply(new byte[n], null, null, null, null);
        if (changes != null)
        {
            reply.directoryChanges = changes.toChunk(request.spec.name());
        }
        return reply;
    }

    private DataReply adopt(final DataRequest request)
    {
        final int n = request.keys.length;
        final DataReply reply = new DataReply(new byte[n], null, null, null, null);
        if (leaving)
        {
            Arrays.fill(reply.status, DataReply.MISS);
            return reply;
        }
        final TableStore table = table(request.spec);
        final int length = table.valueLength();
        for (int i = 0; i < n; i++)
        {
            table.install(request.keys[i], request.values, i * length, request.counters[i], request.versions[i]);
        }
        relocationsIn.addAndGet(n);
        return reply;
    }

    /**
     * Tells the homes of {@code keys} that {@code owner} holds them with the given counters, and completes
     * once every home has recorded it; partitions that were moving are retried until {@code deadlineNanos}.
     */
    public CompletableFuture<Void> sendNotices(
        final TableSpec spec, final long[] keys, final long[] counters, final UUID owner, final long deadlineNanos)
    {
        final Map<UUID, Map<Integer, List<Integer>>> byMember = new HashMap<>();
        final List<Integer> unassigned = new ArrayList<>();
        for (int i = 0; i < keys.length; i++)
        {
            final int partition = partitionOf(spec, keys[i]);
            final UUID home = port.partitionOwner(partition);
            if (home == null)
            {
                unassigned.add(i);
                continue;
            }
            byMember.computeIfAbsent(home, m -> new HashMap<>()).computeIfAbsent(partition, p -> new ArrayList<>()).add(i);
        }
        final List<CompletableFuture<Void>> parts = new ArrayList<>();
        final List<Integer> retry = java.util.Collections.synchronizedList(new ArrayList<>(unassigned));
        for (final Map.Entry<UUID, Map<Integer, List<Integer>>> member : byMember.entrySet())
        {
            final int[] partitions = new int[member.getValue().size()];
            final DataRequest[] requests = new DataRequest[partitions.length];
            final List<List<Integer>> indexes = new ArrayList<>();
            int p = 0;
            for (final Map.Entry<Integer, List<Integer>> partition : member.getValue().entrySet())
            {
                final List<Integer> idx = partition.getValue();
                final long[] k = new long[idx.size()];
                final long[] c = new long[idx.size()];
                for (int j = 0; j < k.length; j++)
                {
                    k[j] = keys[idx.get(j)];
                    c[j] = counters[idx.get(j)];
                }
                partitions[p] = partition.getKey();
                requests[p++] = new DataRequest(spec, DataRequest.NOTICE, k, null, c, owner);
                indexes.add(idx);
            }
            parts.add(port.home(member.getKey(), partitions, requests).handle((replies, error) ->
            {
                for (int j = 0; j < partitions.length; j++)
                {
                    if (error != null || replies[j] == null)
                    {
                        retry.addAll(indexes.get(j));
                    }
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenComposeAsync(ignored ->
        {
            if (retry.isEmpty())
            {
                return CompletableFuture.completedFuture(null);
            }
            if (System.nanoTime() > deadlineNanos)
            {
                return CompletableFuture.failedFuture(new IllegalStateException("table '" + spec.name() + "': " +
                    retry.size() + " ownership notices could not reach their home before the deadline"));
            }
            final long[] k = new long[retry.size()];
            final long[] c = new long[k.length];
            for (int j = 0; j < k.length; j++)
            {
                k[j] = keys[retry.get(j)];
                c[j] = counters[retry.get(j)];
            }
            final CompletableFuture<Void> next = new CompletableFuture<>();
            executor.schedule(() -> sendNotices(spec, k, c, owner, deadlineNanos).whenComplete((v, e) ->
            {
                if (e != null)
                {
                    next.completeExceptionally(e);
                }
                else
                {
                    next.complete(null);
                }
            }), 5, TimeUnit.MILLISECONDS);
            return next;
        }, executor);
    }

    /**
     * Hands every main copy held here to other members and records the new owners at the homes. Called
     * before the member leaves the cluster; afterwards this member materializes and adopts nothing.
     *
     * @return number of keys handed off
     */
    public long handOff(final long timeoutMillis)
    {
        leaving = true;
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long moved = 0;
        for (final TableStore table : tables.values())
        {
            for (int round = 0; round < 10 && table.mainCopies() > 0 && System.nanoTime() < deadline; round++)
            {
                moved += handOffTable(table, deadline);
            }
        }
        return moved;
    }

    private long handOffTable(final TableStore table, final long deadline)
    {
        final List<UUID> others = new ArrayList<>(port.members());
        others.remove(self);
        if (others.isEmpty())
        {
            return 0;
        }
        final TableSpec spec = table.spec();
        final Map<UUID, List<Long>> byTarget = new HashMap<>();
        int roundRobin = 0;
        for (final long key : table.mainKeys())
        {
            UUID target = port.partitionOwner(partitionOf(spec, key));
            if (target == null || target.equals(self))
            {
                target = others.get(roundRobin++ % others.size());
            }
            byTarget.computeIfAbsent(target, t -> new ArrayList<>()).add(key);
        }
        long moved = 0;
        for (final Map.Entry<UUID, List<Long>> target : byTarget.entrySet())
        {
            final List<Long> keys = target.getValue();
            for (int from = 0; from < keys.size(); from += HANDOFF_BATCH)
            {
                moved += handOffBatch(table, keys.subList(from, Math.min(keys.size(), from + HANDOFF_BATCH)),
                    target.getKey(), others, deadline);
            }
        }
        return moved;
    }

    private long handOffBatch(
        final TableStore table, final List<Long> candidates, final UUID preferred, final List<UUID> others,
        final long deadline)
    {
        final int length = table.valueLength();
        final long[] keys = new long[candidates.size()];
        final float[] values = new float[keys.length * length];
        final long[] counters = new long[keys.length];
        final long[] versions = new long[keys.length];
        final int preferredPeer = peers.index(preferred);
        int n = 0;
        for (final long key : candidates)
        {
            final Stripe stripe = table.stripe(key);
            final long stamp = stripe.lock();
            try
            {
                final int slot = stripe.mainSlotOf(key);
                if (slot >= 0)
                {
                    keys[n] = key;
                    versions[n] = stripe.version(slot);
                    counters[n] = table.take(stripe, slot, values, n * length, preferredPeer);
                    n++;
                }
            }
            finally
            {
                stripe.unlock(stamp);
            }
        }
        if (n == 0)
        {
            return 0;
        }
        final long[] k = Arrays.copyOf(keys, n);
        final float[] v = Arrays.copyOf(values, n * length);
        final long[] c = Arrays.copyOf(counters, n);
        final long[] ver = Arrays.copyOf(versions, n);
        final DataRequest adopt = new DataRequest(table.spec(), DataRequest.ADOPT, k, v, c, null, ver);
        final List<UUID> targets = new ArrayList<>();
        targets.add(preferred);
        for (final UUID other : others)
        {
            if (!other.equals(preferred))
            {
                targets.add(other);
            }
        }
        for (final UUID target : targets)
        {
            try
            {
                final DataReply reply = port.direct(target, adopt).get(
                    Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (reply.status.length > 0 && reply.status[0] == DataReply.SERVED)
                {
                    relocationsOut.addAndGet(n);
                    pointHints(table, k, target);
                    sendNotices(table.spec(), k, c, target, deadline)
                        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return n;
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                break;
            }
            catch (final Exception e)
            {
                // this target refused or vanished: offer the same values to the next one
            }
        }
        // nobody took them: keep them here rather than lose them
        for (int i = 0; i < n; i++)
        {
            table.install(k[i], v, i * length, c[i] - 1, ver[i]);
        }
        return 0;
    }

    private void pointHints(final TableStore table, final long[] keys, final UUID target)
    {
        final int peer = peers.index(target);
        for (final long key : keys)
        {
            table.setHint(key, peer);
        }
    }

    /** @return replicate decisions this member took as owner */
    public long replicateDecisions()
    {
        return replicateDecisions.get();
    }

    /** @return relocate decisions this member took as owner (in answer to refreshes) */
    public long relocateDecisions()
    {
        return relocateDecisions.get();
    }

    /** @return sync messages this member served as owner */
    public long syncMessagesServed()
    {
        return syncMessagesServed.get();
    }

    /**
     * Serves one sync message from {@code caller}: merges deltas into main copies held here and decides each
     * refresh — replicate (answer with the value if the requester is behind) or relocate (hand the main copy
     * over). Entries for keys not held here are answered as misses with a hint; their deltas stay with the
     * requester.
     */
    public SyncBatchReply[] serveSync(final int channel, final SyncBatch[] batches, final UUID caller)
    {
        syncMessagesServed.incrementAndGet();
        final int callerPeer = peers.index(caller);
        final Map<String, LongHashSet> requested = new HashMap<>();
        final SyncBatchReply[] replies = new SyncBatchReply[batches.length];
        for (int b = 0; b < batches.length; b++)
        {
            replies[b] = serveSyncBatch(batches[b], caller, callerPeer, requested);
        }
        interest.put(((long)callerPeer << 16) | channel, requested);
        return replies;
    }

    private SyncBatchReply serveSyncBatch(
        final SyncBatch batch, final UUID caller, final int callerPeer, final Map<String, LongHashSet> requested)
    {
        final TableStore table = table(batch.spec);
        final int length = table.valueLength();
        final int n = batch.keys.length;
        final byte[] status = new byte[n];
        final long[] versions = new long[n];
        final long[] counters = new long[n];
        final UUID[] hints = new UUID[n];
        float[] values = new float[0];
        int valueCount = 0;
        int deltaIndex = 0;
        final AddScratch scratch = new AddScratch(length);
        final LongHashSet asked = requested.computeIfAbsent(batch.spec.name(), t -> new LongHashSet());
        final String tableName = batch.spec.name();
        for (int i = 0; i < n; i++)
        {
            final long key = batch.keys[i];
            final byte flags = batch.flags[i];
            final boolean hasDelta = (flags & SyncBatch.DELTA) != 0;
            final boolean refresh = (flags & SyncBatch.REFRESH) != 0;
            if (refresh)
            {
                asked.add(key);
            }
            final Stripe stripe = table.stripe(key);
            final long stamp = stripe.lock();
            try
            {
                final int slot = stripe.mainSlotOf(key);
                if (slot < 0)
                {
                    hints[i] = missHint(batch.spec, stripe, key);
                    if (hasDelta)
                    {
                        deltaIndex++;
                    }
                    continue;
                }
                final long before = stripe.version(slot);
                if (hasDelta)
                {
                    stripe.add(slot, batch.deltas, deltaIndex++ * length, scratch);
                    stripe.version(slot, before + 1);
                }
                byte result = SyncBatchReply.SERVED;
                if (refresh)
                {
                    final boolean replicate = policy.replicate(table.activeIntent(stripe, key),
                        othersInterested(tableName, key, callerPeer));
                    if (replicate)
                    {
                        replicateDecisions.incrementAndGet();
                        if (batch.versions[i] < before)
                        {
                            values = ensure(values, (valueCount + 1) * length);
                            stripe.copyOut(slot, values, valueCount++ * length);
                            result |= SyncBatchReply.VALUE;
                        }
                        versions[i] = stripe.version(slot);
                    }
                    else
                    {
                        relocateDecisions.incrementAndGet();
                        relocationsOut.incrementAndGet();
                        values = ensure(values, (valueCount + 1) * length);
                        versions[i] = stripe.version(slot);
                        counters[i] = table.take(stripe, slot, values, valueCount++ * length, callerPeer);
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
        return new SyncBatchReply(status, Arrays.copyOf(values, valueCount * length), versions, counters, hints);
    }

    private static float[] ensure(final float[] values, final int length)
    {
        return values.length >= length ? values : Arrays.copyOf(values, Math.max(length, values.length * 2));
    }

    private boolean othersInterested(final String table, final long key, final int requesterPeer)
    {
        for (final Map.Entry<Long, Map<String, LongHashSet>> entry : interest.entrySet())
        {
            if ((int)(entry.getKey() >>> 16) != requesterPeer)
            {
                final LongHashSet keys = entry.getValue().get(table);
                if (keys != null && keys.contains(key))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Where sync entries for a key should go: the route hint, else the home member, else (this member is the
     * home and the key was materialized elsewhere) the owner its directory names; null if unknown.
     */
    UUID syncRoute(final TableStore table, final long key)
    {
        final int hint = table.hint(key);
        if (hint >= 0)
        {
            final UUID member = peers.uuid(hint);
            if (!member.equals(self) && port.isMember(member))
            {
                return member;
            }
        }
        final int partition = partitionOf(table.spec(), key);
        final UUID home = port.partitionOwner(partition);
        if (home == null || !home.equals(self))
        {
            return home;
        }
        final Directory.Entry entry = directory.get(partition, table.spec().name(), key);
        return entry == null || entry.owner.equals(self) ? null : entry.owner;
    }

    /** Stops background threads. The stores' off-heap memory is freed when they become unreachable. */
    public void shutdown()
    {
        syncManager.close();
        executor.shutdownNow();
        final TraceWriter current = trace;
        if (current != null)
        {
            current.close();
        }
    }

    /** Accumulates directory changes of one request for the backup operation. */
    private static final class DirectoryChanges
    {
        long[] keys = new long[8];
        UUID[] owners = new UUID[8];
        long[] counters = new long[8];
        int size;

        static DirectoryChanges add(final DirectoryChanges existing, final long key, final UUID owner, final long counter)
        {
            final DirectoryChanges changes = existing == null ? new DirectoryChanges() : existing;
            if (changes.size == changes.keys.length)
            {
                changes.keys = Arrays.copyOf(changes.keys, changes.size * 2);
                changes.owners = Arrays.copyOf(changes.owners, changes.size * 2);
                changes.counters = Arrays.copyOf(changes.counters, changes.size * 2);
            }
            changes.keys[changes.size] = key;
            changes.owners[changes.size] = owner;
            changes.counters[changes.size++] = counter;
            return changes;
        }

        DirectoryChunk toChunk(final String table)
        {
            return new DirectoryChunk(table, Arrays.copyOf(keys, size), Arrays.copyOf(owners, size),
                Arrays.copyOf(counters, size));
        }
    }
}
