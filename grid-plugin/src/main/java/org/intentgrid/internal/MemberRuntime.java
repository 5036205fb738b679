package org.intentgrid.internal;

import org.agrona.ErrorHandler;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.intentgrid.BackupStats;
import org.intentgrid.GridConfig;
import org.intentgrid.GridStats;
import org.intentgrid.OffHeapExhaustedException;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.IntentPolicy;
import org.intentgrid.spi.IntentPolicyProvider;
import org.intentgrid.spi.Mode;
import org.intentgrid.spi.SamplingCounters;
import org.intentgrid.spi.StaticPolicy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything one member runs for the grid, wired together: the composition root of the protocol roles and the
 * entry points that the Hazelcast adapter and the public API call.
 * <p>
 * Roles, one class each: {@link Router} (where keys live, the retry policy), {@link DataServer} (other
 * members' pulls, pushes, sets and localizes), {@link HomeDirectoryServer} (first touch, ownership records,
 * their backups), {@link SyncServer} (the owner's side of sync rounds), {@link SyncManager} (this member's
 * sync rounds), {@link HandOff} (graceful leave), {@link NoticeSender} (telling homes about new owners) and
 * {@link WorkerEngine} (one worker's local/remote engine). The member's life is {@link MemberLifecycle}.
 * <p>
 * Threads: one sync thread ({@code intentgrid-sync-<member>}), two I/O threads that complete remote requests
 * and retries ({@code intentgrid-io-<member>}) and never wait, one thread for backup flushes, which wait for the
 * holder ({@code intentgrid-backup-<member>}), a thread per recovery while one runs
 * ({@code intentgrid-recovery-<member>}), plus the Hazelcast threads that serve operations.
 */
public final class MemberRuntime
{
    private static final int IO_THREADS = 2;
    private static final int MEMBER_NAME_LENGTH = 8;
    /** How long a member waits before it sends a drop again to a member that refused it (see {@link #dropAt}). */
    private static final long DROP_RETRY_MILLIS = 100;
    /** Keys of the key range one round of {@link #materializeHome} sorts into partitions. */
    private static final int MATERIALIZE_BATCH = 1 << 20;

    private final ClusterPort port;
    private final UUID self;
    private final String memberName;
    private final OffHeapMemory offHeap;
    private final ErrorHandler errorHandler;
    private final MemberLifecycle lifecycle = new MemberLifecycle();
    private final MemberCounters counters = new MemberCounters();
    private final Router router;
    private final Directory directory;
    private final StoreRegistry tables;
    private final HomeDirectoryServer homeDirectory;
    private final DataServer dataServer;
    private final SyncServer syncServer;
    private final NoticeSender notices;
    private final HandOff handOff;
    private final BackupStore backups;
    private final KnownUpdates known;
    private final BackupFlusher flusher;
    private final HandOverConfirmations confirmations;
    private final CrashRecovery recovery;
    private final AppliedRequests applied = new AppliedRequests();
    private final UnconfirmedUpdates unconfirmed = new UnconfirmedUpdates();
    private final Set<WorkerEngine> liveWorkers = ConcurrentHashMap.newKeySet();
    private final Map<String, SamplingCounters> sampling = new ConcurrentHashMap<>();
    /** Counters of the workers that finished. Guarded by this. */
    private GridStats retiredAccess = GridStats.ZERO;
    private final HandedOver handedOver = new HandedOver(() -> this.config.backups() > 0);
    /** Random high bits of this member's request ids, so that ids of different members never meet. */
    private final long requestIdBase;
    private final AtomicLong requestIds = new AtomicLong();
    /** The re-sent updates' own traffic, kept apart from any worker's. */
    private final WorkerCounters resendCounters = new WorkerCounters();
    /** Per lost member, whether this member's re-sends of its unconfirmed updates landed. */
    private final LostMemberResends resends;
    /**
     * The remote pushes and sets of this member's workers still on their way: a checkpoint's sync waits for them, so
     * that a rollback is not followed by an update sent before it (a cancelled job's push still retrying toward a lost
     * member's keys would otherwise land on the reset value and be counted again by the restarted job).
     */
    private final Set<CompletableFuture<Void>> updatesInFlight = ConcurrentHashMap.newKeySet();
    private final ReadHolds readHolds;
    private final RecoveryPins pins;
    private final ResendingKeys resending;
    /** Completes remote requests and serves what needs no waiting: none of its tasks may block. */
    private final ScheduledExecutorService executor;
    /**
     * Runs the backup flushes, which wait for the holder's answers: a holder that is frozen or cut off (up to the
     * request timeout, or until failure detection removes it) must not hold up the completion of requests.
     */
    private final ScheduledExecutorService backupThread;
    /** Runs recoveries and reclaims, which wait for other members; a thread exists only while one runs. */
    private final ExecutorService recoveryThreads;
    private volatile GridConfig config;
    private volatile IntentPolicy policy;
    private volatile SyncManager syncManager;
    private volatile TraceWriter trace;

    /**
     * @param errorHandler where errors of the member's background threads go (they are counted in the sync
     *                     statistics too)
     */
    public MemberRuntime(final ClusterPort port, final GridConfig config, final ErrorHandler errorHandler)
    {
        this.port = port;
        this.self = port.localMember();
        this.memberName = self.toString().substring(0, MEMBER_NAME_LENGTH);
        this.errorHandler = errorHandler;
        this.directory = new Directory(port.partitionCount());
        this.router = new Router(port, directory);
        this.offHeap = new OffHeapMemory(self.toString(), config.maxOffHeapBytes(), MachineMemory.thisJvm(),
            config.machineMemoryReserveBytes());
        // a re-send fails after one request timeout; a member that joined after the loss never hears of it
        this.resends = new LostMemberResends(2 * config.requestTimeoutMillis());
        this.readHolds = new ReadHolds(config.requestTimeoutMillis());
        this.pins = readHolds.pins;
        this.resending = readHolds.resending;
        this.tables = new StoreRegistry(self.toString(), new WorkerClocks()
        {
            @Override
            public long clock(final int worker)
            {
                return policy.clock(worker);
            }

            @Override
            public long actionWindow(final int worker)
            {
                return policy.actionWindow(worker);
            }
        }, offHeap, readHolds.adoptions);
        this.homeDirectory = new HomeDirectoryServer(directory, router, lifecycle);
        this.requestIdBase = new SecureRandom().nextLong() & ~0xFFFF_FFFFL | 1L << 32;
        this.flusher = new BackupFlusher(this);
        this.confirmations = new HandOverConfirmations(flusher, port);
        this.dataServer = new DataServer(tables, router, homeDirectory, counters, lifecycle, applied, flusher,
            handedOver, pins);
        this.syncServer = new SyncServer(tables, router, () -> policy, counters, applied, flusher, handedOver, pins);
        final ScheduledThreadPoolExecutor pool =
            new ScheduledThreadPoolExecutor(IO_THREADS, daemonThreads("intentgrid-io-" + memberName));
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
        final ScheduledThreadPoolExecutor flushes =
            new ScheduledThreadPoolExecutor(1, daemonThreads("intentgrid-backup-" + memberName));
        flushes.setRemoveOnCancelPolicy(true);
        this.backupThread = flushes;
        this.recoveryThreads = Executors.newCachedThreadPool(daemonThreads("intentgrid-recovery-" + memberName));
        this.notices = new NoticeSender(router, executor);
        this.handOff = new HandOff(tables, router, notices, counters);
        // survivors ask about a lost member's updates at its loss; its fingerprints outlive their backups 4 timeouts
        this.backups = new BackupStore(offHeap, executor, 4 * config.requestTimeoutMillis());
        this.known = new KnownUpdates(port, applied, backups, config.requestTimeoutMillis());
        this.config = config;
        this.recovery = new CrashRecovery(this, backups, homeDirectory, handedOver, pins);
        flusher.schedule(backupThread, config.backupFlushMillis());
        this.policy = createPolicy(config);
        this.syncManager = new SyncManager(this, config.channels(), config.maxRoundsPerSecond(), config.hotLaneKeys(),
            errorHandler);
        openTrace(config);
        final String noRoom = offHeap.noRoomWarning();
        if (noRoom != null)
        {
            log(noRoom);
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
            return provider.create(config.mode(), config.actImmediately(), config.relocationLimit());
        }
        throw new IllegalStateException("mode " + config.mode().label() + " needs the intent-service module on the " +
            "classpath (no org.intentgrid.spi.IntentPolicyProvider found); use mode static without it");
    }

    private void openTrace(final GridConfig config)
    {
        if (config.traceDirectory() != null && trace == null)
        {
            trace = new TraceWriter(Paths.get(config.traceDirectory()), self.toString());
            tables.listener(trace);
        }
    }

    /**
     * Applies grid settings (from the API that attached to this member).
     *
     * @throws IllegalStateException if the intent or sync settings change after workers were created
     */
    public synchronized void configure(final GridConfig config)
    {
        final GridConfig old = this.config;
        final boolean intentSettingsChange = old.mode() != config.mode() ||
            old.actImmediately() != config.actImmediately() || old.relocationLimit() != config.relocationLimit() ||
            old.channels() != config.channels() ||
            old.maxRoundsPerSecond() != config.maxRoundsPerSecond() || old.hotLaneKeys() != config.hotLaneKeys();
        if (intentSettingsChange)
        {
            if (policy.workerCount() > 0)
            {
                throw new IllegalStateException("cannot change mode or sync settings of a member that has workers " +
                    "(was " + old.mode().label() + ", asked " + config.mode().label() + ")");
            }
            syncManager.close();
            policy = createPolicy(config);
            syncManager = new SyncManager(this, config.channels(), config.maxRoundsPerSecond(), config.hotLaneKeys(),
            errorHandler);
        }
        if (old.backupFlushMillis() != config.backupFlushMillis())
        {
            flusher.schedule(backupThread, config.backupFlushMillis());
        }
        this.config = config;
        openTrace(config);
    }

    // ---- entry points of the Hazelcast adapter ----

    /** Serves a request that a member sent straight to this one (a route hint or cached location). */
    public DataReply serveDirect(final DataRequest request, final UUID caller)
    {
        switch (request.kind)
        {
            case ADOPT:
                return dataServer.adopt(request);
            case DROP:
                dropLocal(request.spec);
                return new DataReply(new byte[0], null, null, null, null);
            case BACKUP:
            case BACKUP_REMOVE:
            case BACKUP_RESET:
                if (tables.isDropped(request.spec.id()))
                {
                    final DataReply dropped = new DataReply(new byte[0], null, null, null, null);
                    dropped.dropped(request.spec.name());
                    return dropped;
                }
                if (!backups.apply(caller, request) && backups.firstRefusal(caller))
                {
                    log("refusing backups from member " + caller + ": it was lost and its main copies were " +
                        "recovered or given up (a member cut off from the cluster; it merges back under a new id)");
                }
                return new DataReply(new byte[0], null, null, null, null);
            case RECOVERED:
                recovery.recovered(request.subject);
                final DataReply told = new DataReply(new byte[0], null, null, null, null);
                // the recoverer keeps the lost member's keys, unread, until every survivor's re-sends landed
                // (RecoveryPins); a member that keeps updates for the lost member, or sent some again (at the event or
                // earlier, resendToDeparted), answers once they landed; one with nothing to send (one that joined
                // after the loss) answers now
                if (unconfirmed.keepsAny(request.subject) || resends.knows(request.subject))
                {
                    told.backupGate = resentOf(request.subject);
                }
                return told;
            case BACKUP_COMPLETE:
                backups.completed(caller);
                return new DataReply(new byte[0], null, null, null, null);
            case RECOVER:
                return new DataReply(recovery.takeOver(request.subject) ? new byte[] {DataReply.SERVED} : new byte[0],
                    null, null, null, null);
            case MAIN_COPIES:
                return dataServer.mainCopies(request);
            case LEFT:
                unconfirmed.forget(request.subject);
                return new DataReply(new byte[0], null, null, null, null);
            case APPLIED:
                return known.serve(request);
            case HANDED_OVER:
                final TableStore table = tables.liveTable(request.spec);
                if (table != null)
                {
                    handedOver.confirmed(caller, table, request.keys, request.counters);
                }
                return new DataReply(new byte[0], null, null, null, null);
            case RECLAIM:
                final DataReply done = new DataReply(new byte[0], null, null, null, null);
                done.backupGate =
                    CompletableFuture.runAsync(() -> recovery.reclaim(request.subject), recoveryThreads);
                return done;
            default:
                return dataServer.serve(request, caller, -1);
        }
    }

    /**
     * Serves a request for keys of one home partition; runs on that partition's thread at its owner, which makes
     * it the only place where keys are materialized and where the directory changes.
     */
    public DataReply serveAtHome(final int partition, final DataRequest request, final UUID caller)
    {
        switch (request.kind)
        {
            case NOTICE:
                return homeDirectory.notice(partition, request);
            case CLAIM:
                return homeDirectory.claim(partition, request, caller);
            default:
                return dataServer.serve(request, caller, partition);
        }
    }

    /**
     * Creates, from the table's initializer, the main copy of every key of {@code spec} whose home this member is and
     * that no member created yet: one pass over the key range, then one partition operation per owned partition and
     * batch, run on the partition threads here (no serialization, no values returned). Keys whose partition moves
     * meanwhile are left to their first touch.
     *
     * @return keys of the table whose main copy their home (this member) now has or had
     * @throws OffHeapExhaustedException if this member has no room for them (the keys created so far stay)
     */
    public long materializeHome(final TableSpec spec)
    {
        final TableStore table = tables.table(spec);
        final int partitionCount = port.partitionCount();
        int ownedNow = 0;
        for (int p = 0; p < partitionCount; p++)
        {
            ownedNow += self.equals(port.partitionOwner(p)) ? 1 : 0;
        }
        table.reserve(spec.size() * ownedNow / partitionCount);
        final boolean[] owned = new boolean[partitionCount];
        long served = 0;
        for (long first = 0; first < spec.size(); first += MATERIALIZE_BATCH)
        {
            final long end = Math.min(spec.size(), first + MATERIALIZE_BATCH);
            for (int p = 0; p < partitionCount; p++)
            {
                owned[p] = self.equals(port.partitionOwner(p));
            }
            final int[] counts = new int[partitionCount];
            final int[] partitionOfKey = new int[(int)(end - first)];
            for (long key = first; key < end; key++)
            {
                final int p = router.partitionOf(spec, key);
                partitionOfKey[(int)(key - first)] = p;
                counts[p] += owned[p] ? 1 : 0;
            }
            final long[][] keysOf = new long[partitionCount][];
            int groups = 0;
            for (int p = 0; p < partitionCount; p++)
            {
                keysOf[p] = new long[counts[p]];
                groups += counts[p] > 0 ? 1 : 0;
                counts[p] = 0;
            }
            for (long key = first; key < end; key++)
            {
                final int p = partitionOfKey[(int)(key - first)];
                if (owned[p])
                {
                    keysOf[p][counts[p]++] = key;
                }
            }
            final int[] partitions = new int[groups];
            final DataRequest[] requests = new DataRequest[groups];
            for (int p = 0, g = 0; p < partitionCount; p++)
            {
                if (counts[p] > 0)
                {
                    partitions[g] = p;
                    requests[g++] = new DataRequest(spec, RequestKind.MATERIALIZE, table.groupedByStripe(keysOf[p]),
                        null, null, null);
                }
            }
            served += groups == 0 ? 0 : countServed(port.home(self, partitions, requests).join());
        }
        return served;
    }

    private static long countServed(final DataReply[] replies)
    {
        long served = 0;
        for (final DataReply reply : replies)
        {
            for (int i = 0; reply != null && i < reply.status.length; i++)
            {
                if (reply.status[i] == DataReply.FULL)
                {
                    throw new OffHeapExhaustedException(reply.error());
                }
                if (reply.status[i] == DataReply.DROPPED)
                {
                    throw new IllegalStateException(reply.error());
                }
                served += reply.status[i] == DataReply.SERVED ? 1 : 0;
            }
        }
        return served;
    }

    /**
     * This member's share of a checkpoint or rollback (see {@link ClusterPort#checkpoint}). Runs on the caller's
     * thread; writing takes as long as the disk needs for the main copies held here.
     *
     * @return per table, the part written ({@link CheckpointPhase#WRITE}) or the keys reset
     *         ({@link CheckpointPhase#RESET}, a part without a file); none for {@link CheckpointPhase#SYNC}
     * @param lost the members the coordinator heard were lost ({@link ClusterPort#checkpoint})
     * @throws UncheckedIOException if a file cannot be written
     */
    public String[] checkpoint(final String folder, final List<TableSpec> specs, final CheckpointPhase phase,
        final UUID[] lost)
    {
        if (phase == CheckpointPhase.SYNC)
        {
            awaitHearingOf(lost);
            awaitWithinRequestTimeout(recovery.underway(), "recovering a lost member's keys");
            awaitUpdatesInFlight();
            resendToDeparted();
            awaitResends();
            syncManager.waitSync();
            return new String[0];
        }
        if (phase == CheckpointPhase.RESET)
        {
            forgetBeforeRollback(specs);
        }
        final IntArrayList owned = new IntArrayList();
        for (int p = 0; p < port.partitionCount(); p++)
        {
            if (self.equals(port.partitionOwner(p)))
            {
                owned.addInt(p);
            }
        }
        final String[] results = new String[specs.size()];
        final Path dir = Paths.get(folder);
        try
        {
            if (phase == CheckpointPhase.WRITE)
            {
                Files.createDirectories(dir);
            }
            for (int t = 0; t < specs.size(); t++)
            {
                final TableSpec spec = specs.get(t);
                long entries = 0;
                for (int i = 0; i < owned.size(); i++)
                {
                    entries += directory.count(owned.getInt(i), spec.id());
                }
                final CheckpointPart part = phase == CheckpointPhase.WRITE ?
                    CheckpointPart.write(tables.table(spec), dir, "table-" + t + "-" + self + ".part", entries) :
                    CheckpointPart.reset(spec.name(), tables.table(spec).resetToInitial(), entries);
                results[t] = part.encode();
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("member " + self + " cannot write its checkpoint part in " + dir, e);
        }
        if (phase == CheckpointPhase.RESET)
        {
            // a crash after the rollback must not recover values from before it out of a backup
            awaitBackupOfReset();
        }
        return results;
    }

    /**
     * Waits until this member has heard of every loss the coordinator heard of: a membership event may reach the
     * members at different times, and until it arrives here the lost member's recovery has not started (if this
     * member holds its backups) and the lost member's keys would be missing from the checkpoint.
     */
    private void awaitHearingOf(final UUID[] lost)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMillis());
        while (!recovery.hasHeardOf(lost))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("member " + self + " did not hear within " +
                    config.requestTimeoutMillis() + " ms that one of " + Arrays.toString(lost) + " was lost");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /**
     * Remembers a remote push or set until it completes, answered or failed (see {@link #updatesInFlight}).
     */
    void updateInFlight(final CompletableFuture<Void> update)
    {
        updatesInFlight.add(update);
        update.whenComplete((ignored, error) -> updatesInFlight.remove(update));
    }

    /** Waits until the remote updates on their way now landed or failed; a failed one is its worker's concern. */
    private void awaitUpdatesInFlight()
    {
        final CompletableFuture<Void> all =
            CompletableFuture.allOf(updatesInFlight.toArray(new CompletableFuture<?>[0]));
        awaitWithinRequestTimeout(all.handle((ignored, error) -> null), "waiting for this member's remote updates");
    }

    private void awaitBackupOfReset()
    {
        awaitWithinRequestTimeout(flusher.afterNextFlush(), "backing up the rolled-back values");
    }

    /**
     * Blocks until {@code done} completes, at most the request timeout.
     *
     * @param doing what is waited for, for the messages ("backing up ...")
     * @throws IllegalStateException if it failed, did not complete in time, or the wait was interrupted
     */
    private void awaitWithinRequestTimeout(final CompletableFuture<?> done, final String doing)
    {
        try
        {
            done.get(config.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("member " + self + ": interrupted while " + doing, e);
        }
        catch (final ExecutionException | TimeoutException e)
        {
            throw new IllegalStateException("member " + self + ": " + doing + " did not finish within " +
                config.requestTimeoutMillis() + " ms (" + e + ")", e);
        }
    }

    /**
     * Sets every existing key of {@code specs} to its initial value, on every member (the first step of a rollback;
     * the caller then sets the checkpoint's values). Replicas' updates are merged first; the reset is repeated if
     * keys still moving between members were missed (the keys reset must match those the homes record).
     *
     * @throws IllegalStateException if keys kept moving while the tables were reset
     */
    public void resetCluster(final List<TableSpec> specs)
    {
        onEveryMemberMatched("", specs, CheckpointPhase.RESET, "rollback");
    }

    /**
     * Before a leave: the remote pushes and sets of this member's workers still on their way land, and two sync rounds
     * ship the updates its replicas took from the workers' pushes, which live only here until a round ships them: a
     * push completed on a replica right before the leave was lost with the member. Each wait is bounded; one that
     * does not finish is reported, and the leave goes on.
     */
    private void deliverWorkersUpdates(final long timeoutMillis)
    {
        try
        {
            awaitUpdatesInFlight();
            CompletableFuture.runAsync(syncManager::waitSync, recoveryThreads)
                .get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IllegalStateException | ExecutionException | TimeoutException e)
        {
            errorHandler.onError(new IllegalStateException("member " + self + " leaves without knowing that its " +
                "replicas' updates were delivered", e));
        }
    }

    /** Blocks until every member completed two sync rounds: replicas are refreshed or dropped. */
    public void syncCluster()
    {
        onEveryMember(member -> port.checkpoint(member, "", List.of(), CheckpointPhase.SYNC,
            recovery.heardLost()));
    }

    /**
     * Coordinates a checkpoint of {@code specs} across the cluster: every member merges its replicas' updates, then
     * every member writes its main copies; the parts are accepted only if they hold exactly the keys the homes'
     * directories record (a key in transit between members would be missing), else the writing is repeated.
     *
     * @return the parts, per table in the order of {@code specs}
     * @throws IllegalStateException if the parts never match the directories (workers still moving keys)
     */
    public List<List<CheckpointPart>> checkpointCluster(final String directory, final List<TableSpec> specs)
    {
        return onEveryMemberMatched(directory, specs, CheckpointPhase.WRITE, "checkpoint in " + directory);
    }

    /**
     * Runs {@code phase} (WRITE or RESET) on every member after a SYNC, until the keys the members handled match the
     * keys the homes record for every table, at most three times; an attempt during which a member was lost (its part
     * failed) counts as one that did not match.
     *
     * @return the members' parts, per table in the order of {@code specs}
     */
    private List<List<CheckpointPart>> onEveryMemberMatched(
        final String directory, final List<TableSpec> specs, final CheckpointPhase phase, final String what)
    {
        final int attempts = 3;
        String mismatch = null;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            pauseBeforeAttempt(attempt);
            final List<UUID> members = port.members();
            final UUID[] lost = recovery.heardLost();
            final List<String[]> answers;
            try
            {
                onEveryMember(member -> port.checkpoint(member, directory, specs, CheckpointPhase.SYNC, lost));
                answers = onEveryMember(member -> port.checkpoint(member, directory, specs, phase, lost));
            }
            catch (final RuntimeException e)
            {
                // a member lost during the attempt failed its part: the next attempt waits for its recovery
                if (port.members().containsAll(members))
                {
                    throw e;
                }
                mismatch = "a member was lost during the attempt (" + e.getMessage() + ")";
                continue;
            }
            final List<List<CheckpointPart>> parts = new ArrayList<>();
            mismatch = null;
            for (int t = 0; t < specs.size(); t++)
            {
                final List<CheckpointPart> ofTable = new ArrayList<>();
                long keys = 0;
                long recorded = 0;
                for (final String[] member : answers)
                {
                    final CheckpointPart part = CheckpointPart.decode(member[t]);
                    ofTable.add(part);
                    keys += part.keys;
                    recorded += part.directoryEntries;
                }
                if (keys != recorded && mismatch == null)
                {
                    mismatch = "table '" + specs.get(t).name() + "': the members hold " + keys + " main copies " +
                        "but the homes record " + recorded + " keys";
                }
                parts.add(ofTable);
            }
            if (mismatch == null)
            {
                return parts;
            }
        }
        throw new IllegalStateException(what + " failed after " + attempts + " attempts: " + mismatch +
            " (keys in transit between members; do it while the workers are idle)");
    }

    /**
     * Gives keys in transit time to land: a member may hear of a lost member (and start recovering it) only after a
     * first attempt found the lost member's keys neither at it nor anywhere else.
     */
    private static void pauseBeforeAttempt(final int attempt)
    {
        if (attempt == 0)
        {
            return;
        }
        try
        {
            Thread.sleep(100L * attempt);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between attempts of a checkpoint or rollback", e);
        }
    }

    private <R> List<R> onEveryMember(final Function<UUID, CompletableFuture<R>> call)
    {
        final List<CompletableFuture<R>> futures = new ArrayList<>();
        for (final UUID member : port.members())
        {
            futures.add(call.apply(member));
        }
        final List<R> results = new ArrayList<>();
        for (final CompletableFuture<R> future : futures)
        {
            try
            {
                results.add(future.get());
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("checkpoint interrupted", e);
            }
            catch (final ExecutionException e)
            {
                throw e.getCause() instanceof RuntimeException ? (RuntimeException)e.getCause() :
                    new IllegalStateException("checkpoint failed on a member: " + e.getCause(), e.getCause());
            }
        }
        return results;
    }

    /**
     * Serves one sync message of {@code caller}'s channel as the owner of its keys; replies that acknowledge merged
     * deltas carry a {@link SyncBatchReply#backupGate() backup gate}.
     */
    public SyncBatchReply[] serveSync(final int channel, final SyncBatch[] batches, final UUID caller,
        final long requestId)
    {
        return syncServer.serve(channel, batches, caller, requestId);
    }

    /** Applies directory entries sent by a partition owner to this backup. */
    public void applyDirectoryBackup(final int partition, final DirectoryChunk chunk)
    {
        homeDirectory.applyBackup(partition, chunk);
    }

    /** @return the directory entries of a partition, one chunk per table, for replication */
    public List<DirectoryChunk> directorySnapshot(final int partition)
    {
        return homeDirectory.snapshot(partition);
    }

    /** @return the lost members whose directory entries are void here; a partition's replication carries them */
    public UUID[] lostOwners()
    {
        return homeDirectory.lostOwners();
    }

    /**
     * Replaces a partition's directory entries with migrated ones, and voids entries naming {@code lostOwners} (the
     * sender's {@link #lostOwners}) in every partition held here.
     */
    public void replaceDirectory(final int partition, final List<DirectoryChunk> chunks, final UUID[] lostOwners)
    {
        homeDirectory.replace(partition, chunks, lostOwners);
    }

    /** Drops a partition's directory entries (it migrated away, or a migration here was rolled back). */
    public void clearDirectory(final int partition)
    {
        homeDirectory.clear(partition);
    }

    /**
     * Delivers what this member's workers wrote that still lives only here, then hands every main copy held here to
     * other members and records the new owners at the homes. Called before the member leaves the cluster;
     * afterwards this member materializes and adopts nothing.
     *
     * @return number of keys handed off
     */
    public long leave(final long timeoutMillis)
    {
        deliverWorkersUpdates(timeoutMillis);
        lifecycle.beginLeave();
        final long handedOff = handOff.run(timeoutMillis);
        if (!holdsNoMainCopy())
        {
            // the others keep what this member answered and has not backed up, and send it again to whoever
            // recovers the keys it still holds, as after a crash
            return handedOff;
        }
        if (handedOff > 0)
        {
            flushDepartures();
        }
        final List<CompletableFuture<DataReply>> told =
            toOtherMembers(new DataRequest(null, RequestKind.LEFT, new long[0], null, null, self));
        try
        {
            CompletableFuture.allOf(told.toArray(CompletableFuture[]::new)).get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException | TimeoutException e)
        {
            // a member that did not hear it takes this for a crash; the flush above, or the adoption if that failed,
            // told the cluster which updates the handed-over values hold, and only the others are sent again
            errorHandler.onError(e);
        }
        return handedOff;
    }

    private boolean holdsNoMainCopy()
    {
        for (final TableStore table : tables.all())
        {
            if (table.mainCopies() > 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Tells the backup holder that every main copy left, so that it frees their backups now: otherwise, once this
     * member is gone, the holder runs a recovery whose every claim is refused as moved on.
     */
    private void flushDepartures()
    {
        try
        {
            flusher.flush();
        }
        catch (final IllegalStateException holderSilent)
        {
            // the holder's recovery finds the keys moved on instead
        }
    }

    /** @return true while this member is the cluster's only one: intents have nothing to move */
    boolean alone()
    {
        return port.memberCount() == 1;
    }

    /**
     * A member joined the cluster; {@code members} is the member list now. The tables dropped before it joined are
     * dropped there too: the drop's message went to the members of that time, and a worker of the new member that
     * still holds such a table must be refused as everywhere else. Every member that knows of a drop tells it, so
     * that no single member's view decides, and a member told twice drops once.
     */
    public void memberAdded(final UUID joined, final List<UUID> members)
    {
        recovery.membersChanged(members);
        if (!joined.equals(self) && tables.droppedCount() > 0 && !lifecycle.stopped())
        {
            executor.execute(() -> tellDrops(joined));
        }
    }

    private void tellDrops(final UUID joined)
    {
        final List<TableSpec> dropped = tables.droppedTables();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMillis());
        for (final TableSpec spec : dropped)
        {
            tellDrop(joined, spec, deadline);
        }
    }

    private void tellDrop(final UUID joined, final TableSpec spec, final long deadline)
    {
        if (lifecycle.stopped())
        {
            // shutting down frees every table through the drop list: those were not dropped by anyone
            return;
        }
        dropAt(joined, spec, deadline).whenComplete((v, error) ->
        {
            if (error != null && !lifecycle.stopped())
            {
                log("could not tell member " + joined + ", which joined after table '" + spec.name() +
                    "' was dropped, of the drop: " + error);
            }
        });
    }

    /**
     * Sends {@code member} the drop of {@code spec}, again every {@value #DROP_RETRY_MILLIS} ms while it refuses
     * it, until {@code deadline}: this member sees a joining member in its list before the joiner has taken this
     * member into its own, and until then the joiner refuses the message (CallerNotMemberException).
     *
     * @return completes once the member dropped the table or left the cluster; fails naming the member if it was
     *         still refusing at the deadline, or if this member stopped
     */
    private CompletableFuture<Void> dropAt(final UUID member, final TableSpec spec, final long deadline)
    {
        final CompletableFuture<Void> dropped = new CompletableFuture<>();
        sendDrop(member, spec, deadline, dropped);
        return dropped;
    }

    private void sendDrop(
        final UUID member, final TableSpec spec, final long deadline, final CompletableFuture<Void> dropped)
    {
        port.direct(member, dropRequest(spec)).whenComplete((reply, error) ->
        {
            if (error == null || !port.isMember(member))
            {
                dropped.complete(null);
            }
            else if (lifecycle.stopped() || System.nanoTime() >= deadline)
            {
                dropped.completeExceptionally(new IllegalStateException("member " + member + " did not answer a " +
                    RequestKind.DROP.label() + " request", error));
            }
            else
            {
                executor.schedule(() -> sendDrop(member, spec, deadline, dropped), DROP_RETRY_MILLIS,
                    TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * A member left or crashed; {@code members} is the member list without it. If this member held its backups,
     * it recovers the lost member's main copies (on a recovery thread).
     */
    public void memberRemoved(final UUID lost, final List<UUID> members)
    {
        if (lifecycle.stopped())
        {
            // a cluster that stops removes its members one by one; a stopped member has nothing left to recover
            return;
        }
        recovery.memberLost(lost, members);
        // taken now, not on the executor: a worker's read of a key sent again must find it marked
        final Map<TableStore, Map<Long, List<UnconfirmedUpdates.Update>>> lostUpdates = takeLost(lost);
        final CompletableFuture<Void> answered = new CompletableFuture<>();
        resends.started(lost, answered);
        resends.heard(lost);
        executor.execute(() -> sendAgain(lost, lostUpdates, answered));
        // if the lost member held this member's backups, nothing is protected until a new holder has them
        flusher.flushSoon();
    }

    /**
     * Takes the pushes and replica deltas that {@code lost} answered but had not confirmed backed up, by table and
     * request, and marks their keys as being sent again ({@link ResendingKeys}).
     */
    private Map<TableStore, Map<Long, List<UnconfirmedUpdates.Update>>> takeLost(final UUID lost)
    {
        final Map<TableStore, Map<Long, List<UnconfirmedUpdates.Update>>> grouped = new HashMap<>();
        for (final UnconfirmedUpdates.Update update : unconfirmed.takeLost(lost))
        {
            grouped.computeIfAbsent(update.table(), t -> new HashMap<>())
                .computeIfAbsent(update.requestId(), r -> new ArrayList<>()).add(update);
        }
        grouped.forEach((table, byRequest) -> byRequest.forEach((requestId, updates) ->
            resending.add(table.spec(), keysOf(updates))));
        return grouped;
    }

    /**
     * Sends again updates taken by {@link #takeLost}, except those a member knows applied ({@link KnownUpdates}): they
     * chase the keys to whoever recovers them, carrying their original request ids, so each lands exactly once.
     */
    private void sendAgain(
        final UUID lost, final Map<TableStore, Map<Long, List<UnconfirmedUpdates.Update>>> grouped,
        final CompletableFuture<Void> done)
    {
        if (grouped.isEmpty())
        {
            done.complete(null);
            return;
        }
        known.ask(lost, fingerprintsOf(grouped))
            .thenAcceptAsync(knownApplied -> sendUnknown(grouped, knownApplied, done), executor)
            .exceptionally(error ->
            {
                errorHandler.onError(error);
                done.complete(null);
                return null;
            });
    }

    private static long[] fingerprintsOf(final Map<TableStore, Map<Long, List<UnconfirmedUpdates.Update>>> grouped)
    {
        final LongArrayList fingerprints = new LongArrayList();
        grouped.values().forEach(byRequest -> byRequest.forEach((requestId, updates) ->
        {
            for (final UnconfirmedUpdates.Update update : updates)
            {
                fingerprints.addLong(AppliedRequests.fingerprint(requestId, update.key()));
            }
        }));
        return fingerprints.toLongArray();
    }

    private void sendUnknown(
        final Map<TableStore, Map<Long, List<UnconfirmedUpdates.Update>>> grouped, final LongHashSet knownApplied,
        final CompletableFuture<Void> done)
    {
        final List<CompletableFuture<?>> sent = new ArrayList<>();
        try
        {
            grouped.forEach((table, byRequest) -> byRequest.forEach((requestId, updates) ->
            {
                final List<UnconfirmedUpdates.Update> unknown = new ArrayList<>(updates.size());
                for (final UnconfirmedUpdates.Update update : updates)
                {
                    if (knownApplied.contains(AppliedRequests.fingerprint(requestId, update.key())))
                    {
                        resending.remove(table.spec(), new long[] {update.key()});
                    }
                    else
                    {
                        unknown.add(update);
                    }
                }
                unconfirmed.resending(unknown.size(), updates.size() - unknown.size());
                if (!unknown.isEmpty())
                {
                    sent.add(resend(table, requestId, unknown));
                }
            }));
        }
        finally
        {
            CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0]))
                .whenComplete((all, error) -> done.complete(null));
        }
    }

    private CompletableFuture<?> resend(
        final TableStore table, final long requestId, final List<UnconfirmedUpdates.Update> updates)
    {
        final int length = table.valueLength();
        final long[] keys = keysOf(updates);
        final int[] positions = new int[keys.length];
        final float[] values = new float[keys.length * length];
        for (int i = 0; i < keys.length; i++)
        {
            positions[i] = i;
            System.arraycopy(updates.get(i).values(), updates.get(i).offset(), values, i * length, length);
        }
        return new RemoteRequest(this, table, RequestKind.PUSH, keys, positions, values, null, resendCounters,
            requestId).start().toCompletableFuture().whenComplete((done, error) ->
            {
                resending.remove(table.spec(), keys);
                if (error != null)
                {
                    errorHandler.onError(error);
                }
            });
    }

    /**
     * Waits until the updates of lost members that this member had not seen confirmed were sent again and answered,
     * so that a checkpoint holds them and a rollback is not followed by them.
     *
     * @throws IllegalStateException if they are still on their way after the request timeout
     */
    private void awaitResends()
    {
        awaitWithinRequestTimeout(CompletableFuture.allOf(resends.unanswered().toArray(new CompletableFuture<?>[0])),
            "sending again the unconfirmed updates of a lost member");
    }

    /**
     * Sends again, now, the unconfirmed updates of owners that are no longer members although this member has not
     * heard yet that they were lost: membership events reach a busy member late, and a checkpoint must hold the
     * updates, a rollback must not be followed by them. The re-sends count for the owner's {@link LostMemberResends}
     * entry as those of its membership event do.
     */
    private void resendToDeparted()
    {
        for (final UUID owner : unconfirmed.owners())
        {
            if (!port.isMember(owner))
            {
                final CompletableFuture<Void> answered = new CompletableFuture<>();
                resends.started(owner, answered);
                sendAgain(owner, takeLost(owner), answered);
            }
        }
    }

    /**
     * A rollback voids every update before it: the unconfirmed ones of the tables rolled back are forgotten, and the
     * re-sends already on their way land before the tables are reset (a re-send that landed after would count an
     * update the rolled-back job makes again).
     */
    private void forgetBeforeRollback(final List<TableSpec> specs)
    {
        final Set<TableStore> rolledBack = new HashSet<>();
        for (final TableSpec spec : specs)
        {
            rolledBack.add(tables.table(spec));
        }
        unconfirmed.forgetAll(rolledBack);
        awaitResends();
    }

    private static long[] keysOf(final List<UnconfirmedUpdates.Update> updates)
    {
        final long[] keys = new long[updates.size()];
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = updates.get(i).key();
        }
        return keys;
    }

    /** @return the keys that may not be read locally now ({@link #pins}, {@link #resending}) */
    ReadHolds readHolds()
    {
        return readHolds;
    }

    /** @return the keys whose updates this member is sending again: its workers' reads of them wait */
    ResendingKeys resending()
    {
        return resending;
    }

    /** @return the keys recovered here that may neither move nor be read yet */
    RecoveryPins pins()
    {
        return pins;
    }

    /**
     * @return completes once this member heard that {@code lost} was lost and what it had not confirmed was sent again
     *         and answered, or after twice the request timeout ({@link LostMemberResends})
     */
    CompletableFuture<Void> resentOf(final UUID lost)
    {
        return resends.of(lost);
    }

    /**
     * Sends the main copies that changed since the last flush to this member's backup holder now, and waits for
     * it (tests, and a caller that wants its updates safe before it goes on).
     *
     * @throws IllegalStateException if the holder did not answer
     */
    public void flushBackup()
    {
        flusher.flush();
    }

    /**
     * @return completes once a backup flush that starts now has reached this member's backup holder (at once when
     *         there is none): every update applied here before the call is then in the backup
     */
    public CompletableFuture<Void> afterBackupFlush()
    {
        return flusher.afterNextFlush();
    }

    /** Stops background threads and frees the stores' native memory (after the grace period lock-free readers get). */
    public void shutdown()
    {
        lifecycle.stop();
        flusher.stop();
        syncManager.close();
        executor.shutdownNow();
        backupThread.shutdownNow();
        recoveryThreads.shutdownNow();
        tables.dropAll();
        backups.dropAll();
        final TraceWriter current = trace;
        if (current != null)
        {
            current.close();
        }
    }

    // ---- entry points of the public API ----

    /**
     * Drops a table on every member of the cluster: each forgets its copies and directory entries, frees its memory
     * and refuses the name from then on. Returns once every member dropped it and this member's memory is freed.
     *
     * A member that refuses the drop while it is joining (it has not taken this member into its list yet) is sent
     * it again until it answers.
     *
     * @throws IllegalStateException if a member did not confirm within the request timeout (the members that did
     *                               dropped it; the others drop it when they next hear of it)
     */
    public void dropEverywhere(final TableSpec spec)
    {
        final CompletableFuture<Void> freedHere = dropLocal(spec);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.requestTimeoutMillis());
        final List<CompletableFuture<Void>> confirmations = new ArrayList<>();
        for (final UUID member : port.members())
        {
            if (!member.equals(self))
            {
                confirmations.add(dropAt(member, spec, deadline));
            }
        }
        awaitWithinRequestTimeout(CompletableFuture.allOf(confirmations.toArray(CompletableFuture[]::new))
            .thenCompose(v -> freedHere), "the drop of table '" + spec.name() + "' (every member confirms it)");
    }

    private static DataRequest dropRequest(final TableSpec spec)
    {
        return new DataRequest(spec, RequestKind.DROP, new long[0], null, null, null);
    }

    /**
     * Sends {@code request} to every other member. A member that is no longer in the cluster when its answer fails
     * need not answer: its answer completes with null (the members of an embedded grid leave one after the other,
     * so the member list a request went out to can name one that just left). The failure of a member still here
     * names it.
     */
    List<CompletableFuture<DataReply>> toOtherMembers(final DataRequest request)
    {
        final List<CompletableFuture<DataReply>> answers = new ArrayList<>();
        for (final UUID member : port.members())
        {
            if (!member.equals(self))
            {
                answers.add(port.direct(member, request).exceptionallyCompose(e -> port.isMember(member) ?
                    CompletableFuture.failedFuture(new IllegalStateException("member " + member + " did not answer " +
                        "a " + request.kind.label() + " request", e)) :
                    CompletableFuture.completedFuture(null)));
            }
        }
        return answers;
    }

    /** @return how many tables were dropped on this member */
    int droppedTables()
    {
        return tables.droppedCount();
    }

    /**
     * Drops a table on this member only (idempotent).
     *
     * @return completes once its memory here is freed
     */
    public CompletableFuture<Void> dropLocal(final TableSpec table)
    {
        sampling.remove(table.id());
        directory.dropTable(table.id());
        return CompletableFuture.allOf(backups.dropTable(table.id()), tables.drop(table));
    }

    /** @return a new worker engine; the caller validates everything it passes in */
    public WorkerEngine newWorker()
    {
        final WorkerEngine worker = new WorkerEngine(this);
        liveWorkers.add(worker);
        return worker;
    }

    /** A worker finished: its counters join those of the finished workers. */
    synchronized void retire(final WorkerEngine worker)
    {
        if (liveWorkers.remove(worker))
        {
            retiredAccess = retiredAccess.plus(worker.stats());
        }
    }

    /**
     * @return the access statistics of this member: its workers' (live and finished) plus what it served and
     *         relocated for other members
     */
    public GridStats accessStats()
    {
        final MemberStats s = stats();
        GridStats sum;
        synchronized (this)
        {
            sum = retiredAccess;
        }
        sum = sum.plus(new GridStats(0, 0, 0, 0, 0, 0, 0, 0, 0, s.relocationsIn(), s.relocationsOut(),
            s.keysServedForOthers()));
        for (final WorkerEngine worker : liveWorkers)
        {
            sum = sum.plus(worker.stats());
        }
        return sum;
    }

    /**
     * @return the member-local store of the table, created on first use
     * @throws IllegalArgumentException if a table of that name with another shape is known here
     */
    public TableStore table(final TableSpec spec)
    {
        return tables.table(spec);
    }

    /** @return true if the table was dropped here (this incarnation of its name is refused) */
    public boolean isDropped(final TableSpec table)
    {
        return tables.isDropped(table.id());
    }

    /** Installs an ownership listener (tests, tracing); affects tables created afterwards. */
    public void listener(final StoreListener listener)
    {
        tables.listener(listener);
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

    /** Blocks until every sync channel completed two rounds that started after the call. */
    public void waitSync()
    {
        syncManager.waitSync();
    }

    /** @return true if this member is the home of the key (owns its Hazelcast partition) now */
    public boolean isHome(final TableSpec spec, final long key)
    {
        return router.isHome(spec, key);
    }

    /** @return the owner this member's home directory records for the key, or null (not home, or never touched) */
    public UUID directoryOwner(final TableSpec spec, final long key)
    {
        return router.recordedOwner(spec, key);
    }

    /** @return this member's id */
    public UUID self()
    {
        return self;
    }

    /** @return settings in force */
    public GridConfig config()
    {
        return config;
    }

    /** @return the intent policy of this member */
    public IntentPolicy policy()
    {
        return policy;
    }

    /**
     * Sampling of the table of {@linkplain TableSpec#id() id} {@code table} was enabled on this member, counting into
     * {@code counters} (for its metrics).
     */
    public void samplingEnabled(final String table, final SamplingCounters counters)
    {
        sampling.put(table, counters);
    }

    /** @return the counters of the tables whose sampling is enabled on this member, by table id */
    public Map<String, SamplingCounters> samplingCounters()
    {
        return Map.copyOf(sampling);
    }

    /** @return the stores of the tables this member knows and did not drop */
    public List<TableStore> liveTables()
    {
        final List<TableStore> live = new ArrayList<>();
        for (final TableStore table : tables.all())
        {
            if (!table.isDropped())
            {
                live.add(table);
            }
        }
        return live;
    }

    /** @return what this member did for crash safety: backup flushes, backups held, recoveries */
    public BackupStats backupStats()
    {
        return new BackupStats(flusher.flushes(), flusher.keysFlushed(), flusher.bytesFlushed(), flusher.failures(),
            flusher.lastGapMillis(), backups.keys(), backups.bytes(), recovery.recoveries(), recovery.keysRecovered(),
            recovery.keysRefused(), recovery.lastRecoveryMillis(), recovery.lastBackupAgeMillis(),
            unconfirmed.kept(), unconfirmed.resent(), unconfirmed.knownApplied(), handedOver.kept());
    }

    /** @return this member's statistics beyond its workers' */
    public MemberStats stats()
    {
        final SyncManager sync = syncManager;
        return new MemberStats(counters.relocationsIn.get(), counters.relocationsOut.get(),
            counters.keysServedForOthers.get(), counters.syncMessagesServed.get(), counters.replicateDecisions.get(),
            counters.relocateDecisions.get(), sync.roundsCompleted(), sync.messagesSent(), sync.keysSent(),
            sync.bytesSent(), sync.trackedKeys(), sync.deltasInFlight(), sync.errors(), sync.keysVisited(),
            sync.hotLaneKeys(), sync.hotLanePromotions());
    }

    // ---- shared with the role classes ----

    Router router()
    {
        return router;
    }

    NoticeSender notices()
    {
        return notices;
    }

    MemberCounters counters()
    {
        return counters;
    }

    SyncManager syncManager()
    {
        return syncManager;
    }

    ScheduledExecutorService executor()
    {
        return executor;
    }

    /** @return where recoveries run: they wait for other members' answers, which the I/O threads deliver */
    ExecutorService recoveryThreads()
    {
        return recoveryThreads;
    }

    private static ThreadFactory daemonThreads(final String name)
    {
        return r ->
        {
            final Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** @return native memory this member's stores hold, in bytes */
    public long offHeapBytes()
    {
        return offHeap.used();
    }

    /** @return the most native memory this member's stores may hold ({@link Long#MAX_VALUE}: no cap) */
    public long maxOffHeapBytes()
    {
        return offHeap.cap();
    }

    /** @return the most native memory the stores of every member of this JVM may hold together */
    public long machineOffHeapLimit()
    {
        return offHeap.machineLimit();
    }

    /** @return what the machine has available now (read at most once a second), {@link Long#MAX_VALUE} if unknown */
    public long machineAvailableBytes()
    {
        return offHeap.machineAvailable();
    }

    String memberName()
    {
        return memberName;
    }

    StoreRegistry tables()
    {
        return tables;
    }

    /** @return a new id for a request that updates main copies, unique across the cluster, never 0 */
    long nextRequestId()
    {
        return requestIdBase | requestIds.incrementAndGet() & 0xFFFF_FFFFL;
    }

    /**
     * Main copies moved in from {@code from}: backs them up now rather than at the next interval, and then tells
     * {@code from}, which keeps a copy of each until then ({@link HandedOver}).
     */
    void confirmHandOver(final UUID from, final TableSpec spec, final long[] keys, final long[] counters)
    {
        confirmations.movedIn(from, spec, keys, counters);
    }

    /** @return the pushes and replica deltas other members answered but had not confirmed backed up */
    UnconfirmedUpdates unconfirmed()
    {
        return unconfirmed;
    }

    /** @return the fingerprints of the remote updates applied (or recovered) here */
    AppliedRequests applied()
    {
        return applied;
    }

    ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /** Logs a notable event of this member (a recovery) at INFO. */
    void log(final String message)
    {
        port.logInfo("intentgrid member " + memberName + ": " + message);
    }
}
