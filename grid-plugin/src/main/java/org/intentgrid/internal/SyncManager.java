package org.intentgrid.internal;

import org.intentgrid.OffHeapExhaustedException;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.intentgrid.Hashing;
import org.intentgrid.spi.DueIntentSink;
import org.intentgrid.spi.IntentPolicy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The member's sync-manager task: runs sync rounds for each channel (a hash partition of the key space).
 * <p>
 * A round of a channel: register the intents the policy says are due (creating placeholders), then for
 * every tracked key extract a replica's delta, ask the owner to refresh keys still intended, drop what is
 * no longer intended, and send one message per destination member. Between these full rounds, which the rate limit
 * spaces, intents that became due are registered too and their placeholders fetched at once by a fetch round that
 * carries nothing else. Answers are applied on this same
 * thread: refreshes set up and update replicas, relocations turn them into main copies (and the homes are
 * told); a delta that missed is delivered by a remote push that chases the main copy. One full round and one fetch
 * round are in flight per channel at most, the fetch round also while a full round is: a placeholder made while a
 * full round is in flight is asked for at once, not after that round's answer. A placeholder may so be asked for in
 * both, and its answers may come in either order ({@link ReplicaStore#refresh} keeps the newer). A round is
 * <em>completed</em> when all its answers are applied, and {@link #waitSync()} counts completed full rounds.
 * <p>
 * A replica is removed only after the owner acknowledged its last delta, so a worker's next pull (which
 * then goes to the owner) cannot overtake it. Members that have nothing to sync send nothing, except one
 * empty message to a member they wrote to in the previous round, so that its view of their interest clears. A
 * channel whose full round changed nothing goes quiet and spaces its next full rounds out until something changes
 * ({@link SyncChannel#fullRoundCompleted}).
 */
final class SyncManager implements Agent
{
    private static final long IDLE_MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final int IDLE_SPINS = 10;
    private static final int IDLE_YIELDS = 10;
    /** How many misses of one entry are followed to the hinted member within the same round. */
    private static final int MAX_FOLLOW_UPS = 2;
    /** How often intended main copies are checked for expired intents or a move away (waiters force it). */
    private static final long MAIN_SWEEP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final MemberRuntime runtime;
    private final Router router;
    private final ErrorHandler errorHandler;
    private final String roleName;
    /** The member's channels, then the hot lane's. */
    private final SyncChannel[] channels;
    /** Channels that keys are hashed to (all but the hot lane's). */
    private final int hashedChannels;
    private final HotLane hot;
    private final long minRoundIntervalNanos;
    private final ConcurrentLinkedQueue<Runnable> answers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiters = new AtomicInteger();
    private final AgentRunner runner;
    private final SyncStep step = new SyncStep();
    /**
     * The keys a round steps next, or due intents register next, whose index entries and slots were just read
     * ({@link TableStore#touch}): their cache misses overlap instead of coming one after another.
     */
    private final long[] aheadKeys = new long[TableStore.TOUCH_AHEAD];
    private final int[] aheadEntries = new int[TableStore.TOUCH_AHEAD];
    /** The table, workers and ends of the due intents in {@link #aheadKeys} ({@link #aheadCount} of them). */
    private TableStore aheadTable;
    private final int[] aheadWorkers = new int[TableStore.TOUCH_AHEAD];
    private final long[] aheadEnds = new long[TableStore.TOUCH_AHEAD];
    private int aheadCount;
    /** What the reads ahead read, kept so that the compiler cannot drop them. */
    private long touchSum;
    private final WorkerCounters touchCounters = new WorkerCounters();
    private final AtomicLong messagesSent = new AtomicLong();
    private final AtomicLong keysSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong deltasInFlight = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong keysVisited = new AtomicLong();
    /** Due intents not acted on because the member had no memory left for their placeholders. */
    private final AtomicLong intentsRefused = new AtomicLong();
    /**
     * The last pass found nothing to do and a channel could start a round now (none in flight, the rate limit
     * passed): the thread is in a long park that an intent should cut short. Cleared by the first waker, so that a
     * burst of intents unparks it once.
     */
    private volatile boolean resting;
    /**
     * Some channel is quiet ({@link SyncChannel#fullRoundCompleted}): a worker's push to a replica clears this, and
     * the sync thread then ends every channel's quiet, so that the push's delta does not wait out a quiet wait.
     */
    private volatile boolean quiet;
    /** An intent came due in this pass: the workers are active, quiet channels go at the rate limit again. */
    private boolean intentsCameDue;
    /** How long the thread parks after a pass that found nothing to do. */
    private long idleParkNanos = IDLE_MAX_PARK_NANOS;
    private final DueIntents dueIntents = new DueIntents();
    private final DueIntentSink register = this::onDue;
    private long[] clocks = new long[0];
    private int droppedTablesSeen;
    private volatile Thread agentThread;

    SyncManager(
        final MemberRuntime runtime, final int channelCount, final int maxRoundsPerSecond, final int hotLaneKeys,
        final ErrorHandler errorHandler)
    {
        this.runtime = runtime;
        this.router = runtime.router();
        this.errorHandler = errorHandler;
        this.roleName = "intentgrid-sync-" + runtime.memberName();
        this.hashedChannels = channelCount;
        this.hot = new HotLane(channelCount, hotLaneKeys);
        this.channels = new SyncChannel[channelCount + 1];
        for (int c = 0; c < channelCount; c++)
        {
            channels[c] = new SyncChannel(c);
        }
        channels[channelCount] = hot.channel;
        this.minRoundIntervalNanos = TimeUnit.SECONDS.toNanos(1) / maxRoundsPerSecond;
        this.runner = new AgentRunner(new Idle(), this::onError, null, this);
        AgentRunner.startOnThread(runner, r ->
        {
            final Thread t = new Thread(r, roleName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Counts the error and hands it to the member's error handler; the agent goes on with its next duty cycle. */
    private void onError(final Throwable error)
    {
        errors.incrementAndGet();
        errorHandler.onError(error);
    }

    @Override
    public void onStart()
    {
        agentThread = Thread.currentThread();
    }

    /** Hands work to the sync thread and wakes it, so that answers do not wait out an idle park. */
    private void deliver(final Runnable answer)
    {
        answers.offer(answer);
        unparkAgent();
    }

    private void unparkAgent()
    {
        final Thread thread = agentThread;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public String roleName()
    {
        return roleName;
    }

    /**
     * A worker pushed to a replica here: if a channel is quiet, it must not hold the push's delta back for its
     * quiet wait. One volatile read per push call while no channel is quiet.
     */
    void replicaPushed()
    {
        if (quiet)
        {
            quiet = false;
            unparkAgent();
        }
    }

    /**
     * A worker signalled an intent: if the sync thread is in a long idle park, wake it so that the intent is
     * collected now rather than after the park.
     */
    void wake()
    {
        if (resting)
        {
            resting = false;
            unparkAgent();
        }
    }

    @Override
    public int doWork()
    {
        final int work = doWorkOnce();
        if (work > 0)
        {
            resting = false;
            return work;
        }
        // Intents only start rounds, so an intent is worth a wake-up only if some channel could start one now: not
        // while every channel's round is in flight (its answer wakes the thread) or waits for the rate limit (the
        // park ends in time). On two cores every needless wake-up is a futex call on the worker and a context
        // switch taken from it: kge 2 x 1 at 20 rounds per second spent 14% of its workers' CPU (at 1,000 rounds 2%)
        // waking the sync thread for rounds in flight.
        final long now = System.nanoTime();
        long park = IDLE_MAX_PARK_NANOS;
        boolean anyCouldStart = false;
        for (final SyncChannel channel : channels)
        {
            if (channel.inFlight == 0)
            {
                final long untilReady = channel.nextFullRoundNanos(minRoundIntervalNanos, false) - now;
                if (untilReady > 0)
                {
                    park = Math.min(park, untilReady);
                }
                else if (channel != hot.channel)
                {
                    // intents never start the hot lane's rounds (full rounds fill it): an idle lane is no reason to
                    // let every intent wake the thread
                    anyCouldStart = true;
                }
            }
        }
        idleParkNanos = park;
        resting = anyCouldStart;
        return 0;
    }

    private int doWorkOnce()
    {
        int work = 0;
        Runnable answer;
        while ((answer = answers.poll()) != null)
        {
            answer.run();
            work++;
        }
        final long now = System.nanoTime();
        final boolean forced = waiters.get() > 0;
        if (!quiet)
        {
            endQuiet();
        }
        boolean anyReady = false;
        boolean anyIdle = false;
        for (final SyncChannel channel : channels)
        {
            channel.ready = channel.inFlight == 0 && now - channel.lastStartNanos >= minRoundIntervalNanos;
            anyReady |= channel.ready;
            anyIdle |= channel.inFlight == 0 || channel.fetchesInFlight == 0;
        }
        if (!anyIdle)
        {
            return work;
        }
        // Intents are collected whenever a round, full or fetch, could carry them; the policy's action timer counts
        // clocks per full round only, as the window must cover a full round in flight and the fetch after it.
        final IntentPolicy policy = runtime.policy();
        if (clocks.length < policy.workerCount())
        {
            clocks = new long[policy.workerCount() * 2];
        }
        work += policy.collect(clocks, dueIntents, anyReady);
        dueIntents.drainTo(register);
        registerAhead();
        if (intentsCameDue)
        {
            intentsCameDue = false;
            endQuiet();
        }
        forgetDroppedTables();
        for (final SyncChannel channel : channels)
        {
            if (channel.ready && channel.sweepDue(now, MAIN_SWEEP_INTERVAL_NANOS, forced))
            {
                final int visited = channel.sweepIntendedMains(now);
                keysVisited.addAndGet(visited);
                work += visited;
            }
            final boolean hasWork = channel.hasWork();
            final boolean due = channel.ready && now >= channel.nextFullRoundNanos(minRoundIntervalNanos, forced);
            if (due && (forced || hasWork))
            {
                if (runRound(channel, now, false))
                {
                    work++;
                }
            }
            else if (channel.fetchesInFlight == 0 && channel.hasFresh() && runRound(channel, now, true))
            {
                work++;
            }
        }
        return work;
    }

    private void endQuiet()
    {
        for (final SyncChannel channel : channels)
        {
            channel.endQuiet();
        }
    }

    /** A full round of {@code channel} is done (all its answers applied, or it had nothing to send). */
    private void fullRoundCompleted(final SyncChannel channel)
    {
        if (channel.fullRoundCompleted(System.nanoTime()))
        {
            quiet = true;
        }
    }

    private void forgetDroppedTables()
    {
        final int dropped = runtime.droppedTables();
        if (dropped != droppedTablesSeen)
        {
            droppedTablesSeen = dropped;
            for (final SyncChannel channel : channels)
            {
                channel.forgetDroppedTables();
            }
            dueIntents.forgetDroppedTables();
        }
    }

    /** Collects a due intent; intents register 16 at a time, after their keys' lookups were read together. */
    private void onDue(final Object table, final long key, final int worker, final long end)
    {
        if (table != aheadTable || aheadCount == aheadKeys.length)
        {
            registerAhead();
            aheadTable = (TableStore)table;
        }
        aheadKeys[aheadCount] = key;
        aheadWorkers[aheadCount] = worker;
        aheadEnds[aheadCount++] = end;
    }

    private void registerAhead()
    {
        if (aheadCount == 0)
        {
            return;
        }
        final TableStore table = aheadTable;
        final int count = aheadCount;
        aheadTable = null;
        aheadCount = 0;
        touchSum += table.touch(aheadKeys, null, 0, count, aheadEntries);
        for (int j = 0; j < count; j++)
        {
            registerDue(table, aheadKeys[j], aheadWorkers[j], aheadEnds[j]);
        }
    }

    private void registerDue(final TableStore store, final long key, final int worker, final long end)
    {
        if (store.isDropped())
        {
            return;
        }
        intentsCameDue = true;
        final SyncStep.Action action;
        try
        {
            action = store.replicaStore().registerIntent(key, worker, end);
        }
        catch (final OffHeapExhaustedException e)
        {
            // the key stays remote; one report per member, not one per key
            if (intentsRefused.getAndIncrement() == 0)
            {
                onError(e);
            }
            return;
        }
        if (action == SyncStep.Action.MAIN_INTENDED)
        {
            channelOf(key).intendMain(store, key);
        }
        else if (action == SyncStep.Action.REFRESH && !hot.tracks(store, key))
        {
            channelOf(key).track(store, key);
        }
    }

    private SyncChannel channelOf(final long key)
    {
        return channels[(int)((Hashing.mix64(key ^ 0x5DEECE66DL) >>> 1) % hashedChannels)];
    }

    /**
     * Blocks until every channel has completed two rounds that started after this call, so that deltas
     * extracted before the call were merged and refreshes answered after it.
     */
    void waitSync()
    {
        final long[] targets = new long[channels.length];
        waiters.incrementAndGet();
        try
        {
            for (int c = 0; c < channels.length; c++)
            {
                targets[c] = channels[c].roundsStarted + 2;
            }
            unparkAgent();
            for (int c = 0; c < channels.length; c++)
            {
                while (channels[c].roundsCompleted < targets[c])
                {
                    awaitPark();
                }
            }
            while (deltasInFlight.get() > 0)
            {
                awaitPark();
            }
        }
        finally
        {
            waiters.decrementAndGet();
        }
    }

    private void awaitPark()
    {
        if (runner.isClosed())
        {
            throw new IllegalStateException("waitSync: the member is shutting down");
        }
        LockSupport.parkNanos(100_000);
    }

    /**
     * Runs a full round (every tracked key) or a fetch round: only the keys tracked since the last round, full or
     * fetch, started, of which only placeholders ask for their first refresh, so that a new placeholder waits neither
     * for a full round in flight nor for the rate limit. A fetch round carries no delta and drops nothing; the owner
     * does not take its message for the requester's whole interest ({@link ClusterPort#sync}), and waiters do not
     * count it.
     *
     * @return true if the round visited a key or sent a message: an empty round is not work for the idle strategy
     */
    private boolean runRound(final SyncChannel channel, final long now, final boolean fetchOnly)
    {
        if (!fetchOnly)
        {
            channel.fullRoundStarted(now);
        }
        final SyncStep.Round kind = fetchOnly ? SyncStep.Round.FETCH :
            channel == hot.channel ? SyncStep.Round.HOT : SyncStep.Round.FULL;
        final Map<UUID, Map<TableStore, SyncBatchBuilder>> out = new HashMap<>();
        final Map<TableStore, LongArrayList> touches = new IdentityHashMap<>();
        long visited = 0;
        final Map<TableStore, LongHashSet> visit = fetchOnly ? channel.fresh : channel.tracked;
        for (final Map.Entry<TableStore, LongHashSet> visiting : visit.entrySet())
        {
            final TableStore table = visiting.getKey();
            final LongHashSet keys = visiting.getValue();
            final LongHashSet tracked = channel.tracked.get(table);
            final LongArrayList untrack = new LongArrayList();
            final LongHashSet.LongIterator it = keys.iterator();
            while (it.hasNext())
            {
                int ahead = 0;
                while (ahead < aheadKeys.length && it.hasNext())
                {
                    aheadKeys[ahead++] = it.nextValue();
                }
                touchSum += table.touch(aheadKeys, null, 0, ahead, aheadEntries);
                for (int j = 0; j < ahead; j++)
                {
                    stepKey(channel, kind, table, aheadKeys[j], untrack, out, touches);
                }
                visited += ahead;
            }
            for (int i = 0; i < untrack.size(); i++)
            {
                tracked.remove(untrack.getLong(i));
            }
        }
        channel.clearFresh();
        keysVisited.addAndGet(visited);
        touches.forEach(this::touch);
        final Set<UUID> destinations = new HashSet<>(out.keySet());
        if (!fetchOnly)
        {
            channel.rememberBatchSizes(out);
            destinations.addAll(channel.lastDestinations);
            channel.lastDestinations = out.keySet();
        }
        if (destinations.isEmpty())
        {
            if (!fetchOnly)
            {
                fullRoundCompleted(channel);
            }
            return visited > 0;
        }
        if (fetchOnly)
        {
            channel.fetchesInFlight = destinations.size();
        }
        else
        {
            channel.inFlight = destinations.size();
        }
        for (final UUID destination : destinations)
        {
            send(channel, destination, new ArrayList<>(out.getOrDefault(destination, Map.of()).values()), fetchOnly);
        }
        return true;
    }

    /** One key's step in a round: what the step decides, for the round's message or the channels' key sets. */
    private void stepKey(
        final SyncChannel channel, final SyncStep.Round kind, final TableStore table, final long key,
        final LongArrayList untrack, final Map<UUID, Map<TableStore, SyncBatchBuilder>> out,
        final Map<TableStore, LongArrayList> touches)
    {
        if (kind != SyncStep.Round.HOT && hot.tracks(table, key))
        {
            untrack.addLong(key);
            return;
        }
        table.replicaStore().syncStep(key, kind, kind == SyncStep.Round.FULL ? hot.promoteAt() : Integer.MAX_VALUE,
            step);
        // a key a full round leaves for later waits for a delta, a localize or a refresh in flight: not quiet
        if (step.action == SyncStep.Action.LEAVE ? kind != SyncStep.Round.FETCH :
            step.action != SyncStep.Action.REFRESH || step.hasDelta || step.version < 0)
        {
            channel.changed();
        }
        switch (step.action)
        {
            case LEAVE:
                break;
            case UNTRACK:
                untrack.addLong(key);
                break;
            case MAIN_INTENDED:
                untrack.addLong(key);
                // the hot lane syncs replicas only; the key's channel sweeps intended main copies
                (kind == SyncStep.Round.HOT ? channelOf(key) : channel).intendMain(table, key);
                break;
            case PROMOTE:
                untrack.addLong(key);
                hot.adopt(table, key);
                break;
            case DEMOTE:
                untrack.addLong(key);
                channelOf(key).adopt(table, key);
                break;
            case REFRESH:
            case DROP_AFTER_DELTA:
                addEntry(channel, table, key, out, touches);
                break;
        }
    }

    /** Adds the step's entry for {@code key} to the round's message for its owner (or delivers it another way). */
    private void addEntry(
        final SyncChannel channel, final TableStore table, final long key,
        final Map<UUID, Map<TableStore, SyncBatchBuilder>> out, final Map<TableStore, LongArrayList> touches)
    {
        final UUID destination = router.syncRoute(table, key, step.hint);
        final boolean refresh = step.action == SyncStep.Action.REFRESH;
        if (destination == null)
        {
            channel.changed();
            if (step.hasDelta)
            {
                deltaMissed(channel, table, key, step.delta, 0, runtime.nextRequestId());
            }
            placeholderAnswered(table, key, step.version);
            touches.computeIfAbsent(table, t -> new LongArrayList()).addLong(key);
            return;
        }
        out.computeIfAbsent(destination, d -> new IdentityHashMap<>())
            .computeIfAbsent(table, channel::newBatch)
            .add(key, step.slot, refresh, refresh && step.brief, step.hasDelta ? step.delta : null, 0, step.version,
                !refresh);
    }

    private void send(
        final SyncChannel channel, final UUID destination, final List<SyncBatchBuilder> builders, final boolean fetch)
    {
        final SyncBatch[] batches = new SyncBatch[builders.size()];
        for (int b = 0; b < batches.length; b++)
        {
            batches[b] = builders.get(b).build();
            keysSent.addAndGet(batches[b].keys.length);
            bytesSent.addAndGet(batches[b].payloadBytes());
        }
        messagesSent.incrementAndGet();
        final long requestId = runtime.nextRequestId();
        final int channelId = fetch ? -1 - channel.index : channel.index;
        router.port().sync(destination, channelId, batches, requestId, channel == hot.channel)
            .whenComplete((replies, error) ->
                deliver(() -> onAnswer(channel, destination, builders, replies, error, requestId, fetch)));
    }

    /** Materializes keys that nobody holds yet (through an ordinary pull) so that their route becomes known. */
    private void touch(final TableStore table, final LongArrayList keys)
    {
        final long[] k = keys.toLongArray();
        final int[] positions = new int[k.length];
        for (int i = 0; i < positions.length; i++)
        {
            positions[i] = i;
        }
        new RemoteRequest(runtime, table, RequestKind.PULL, k, positions, null,
            new float[k.length * table.valueLength()],
            touchCounters).start();
    }

    private void onAnswer(
        final SyncChannel channel, final UUID destination, final List<SyncBatchBuilder> builders,
        final SyncBatchReply[] replies, final Throwable error, final long requestId, final boolean fetch)
    {
        Map<UUID, Map<TableStore, SyncBatchBuilder>> followUps = Map.of();
        try
        {
            followUps = applyAnswer(destination, builders, replies, error, requestId, channel);
        }
        finally
        {
            // even if applying failed (the agent reports it): a channel whose round never completes stops syncing
            if (fetch)
            {
                channel.fetchesInFlight += followUps.size() - 1;
            }
            else
            {
                channel.inFlight += followUps.size() - 1;
                if (channel.inFlight == 0)
                {
                    fullRoundCompleted(channel);
                }
            }
            followUps.forEach((member, byTable) -> send(channel, member, new ArrayList<>(byTable.values()), fetch));
        }
    }

    /** @return the entries to send again to the members the answer's misses hinted at, within this round */
    private Map<UUID, Map<TableStore, SyncBatchBuilder>> applyAnswer(
        final UUID destination, final List<SyncBatchBuilder> builders, final SyncBatchReply[] replies,
        final Throwable error, final long requestId, final SyncChannel channel)
    {
        final int destinationPeer = router.peerIndex(destination);
        if (error == null && replies.length > 0)
        {
            runtime.unconfirmed().confirmed(destination, replies[0].backupCompleted());
        }
        final Map<UUID, Map<TableStore, SyncBatchBuilder>> followUps = new HashMap<>();
        for (int b = 0; b < builders.size(); b++)
        {
            final SyncBatchBuilder sent = builders.get(b);
            final TableStore table = sent.table;
            final SyncBatchReply reply = error == null ? replies[b] : null;
            final int length = table.valueLength();
            final LongArrayList relocated = new LongArrayList();
            final LongArrayList relocatedCounters = new LongArrayList();
            if (reply != null)
            {
                table.appliedMovedIn(reply.movedApplied(), runtime.applied());
            }
            int valueIndex = 0;
            for (int i = 0; i < sent.size; i++)
            {
                final long key = sent.keys.getLong(i);
                final byte status = reply == null ? 0 : reply.status[i];
                final int deltaAt = sent.deltaOffset[i];
                final float[] delta = deltaAt < 0 ? null : sent.deltaValues;
                if ((status & (SyncBatchReply.SERVED | SyncBatchReply.RELOCATE | SyncBatchReply.VALUE)) !=
                    SyncBatchReply.SERVED)
                {
                    channel.changed();
                }
                if ((status & SyncBatchReply.SERVED) == 0)
                {
                    final UUID hint = reply == null ? null : reply.hints[i];
                    final boolean useful = hint != null && !hint.equals(router.self()) && router.port().isMember(hint);
                    table.setHint(key, useful ? router.peerIndex(hint) : -1);
                    if (useful && sent.hops[i] < MAX_FOLLOW_UPS)
                    {
                        // follow the owner's trail within this round instead of losing a round per hop
                        followUps.computeIfAbsent(hint, d -> new IdentityHashMap<>())
                            .computeIfAbsent(table, SyncBatchBuilder::new)
                            .add(key, sent.slots[i], sent.refresh[i], sent.brief[i], delta, deltaAt,
                                sent.versions.getLong(i), sent.dropping[i], sent.hops[i] + 1);
                        continue;
                    }
                    if (delta != null)
                    {
                        // the same id: if the lost answer's owner merged the delta, its backup knows this id
                        deltaMissed(channel, table, key, delta, deltaAt, requestId);
                    }
                    placeholderAnswered(table, key, sent.versions.getLong(i));
                    continue;
                }
                if ((status & SyncBatchReply.RELOCATE) != 0)
                {
                    table.install(key, reply.values, valueIndex++ * length, reply.counters[i], reply.versions[i]);
                    runtime.counters().relocationsIn.incrementAndGet();
                    relocated.addLong(key);
                    relocatedCounters.addLong(reply.counters[i]);
                }
                else
                {
                    if (delta != null)
                    {
                        runtime.unconfirmed().keepShared(destination, reply.backupFlush(), table, key, delta, deltaAt,
                            requestId);
                        table.replicaStore().deltaAnswered(key, sent.slots[i], sent.versions.getLong(i),
                            reply.versions[i], sent.refresh[i] && (status & SyncBatchReply.VALUE) == 0);
                    }
                    if ((status & SyncBatchReply.VALUE) != 0)
                    {
                        table.replicaStore().refresh(key, sent.slots[i], reply.values, valueIndex++ * length,
                            reply.versions[i]);
                    }
                }
                if (sent.dropping[i])
                {
                    // a hint naming the home routes where no hint would: the stripes' maps of hints stay small
                    table.replicaStore().confirmDrop(key, sent.slots[i],
                        router.isHomeOf(destination, table.spec(), key) ? -1 : destinationPeer);
                }
                placeholderAnswered(table, key, sent.versions.getLong(i));
            }
            if (!relocated.isEmpty())
            {
                final long[] movedIn = relocated.toLongArray();
                final long[] movedInCounters = relocatedCounters.toLongArray();
                runtime.confirmHandOver(destination, table.spec(), movedIn, movedInCounters);
                runtime.notices().send(table.spec(), movedIn, movedInCounters, router.self(),
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runtime.config().requestTimeoutMillis()));
            }
        }
        return followUps;
    }

    /**
     * The round is done with {@code key}: if it asked for a placeholder (version -1), requests of local workers
     * that wait for the key to arrive go on, served from what the answer installed or else remotely.
     */
    private static void placeholderAnswered(final TableStore table, final long key, final long sentVersion)
    {
        if (sentVersion < 0)
        {
            table.replicaStore().arrived(key);
        }
    }

    /** A delta found no owner this round: a main copy here by now takes it, else a remote push delivers it. */
    private void deltaMissed(
        final SyncChannel channel, final TableStore table, final long key, final float[] delta, final int offset,
        final long requestId)
    {
        if (table.replicaStore().deltaMissed(key, delta, offset, channel.scratch(table), runtime.applied(),
            AppliedRequests.fingerprint(requestId, key)))
        {
            deliverDelta(table, key, delta, offset, requestId);
        }
    }

    /**
     * Hands a replica delta whose owner could not be reached this round to the remote-push machinery, which
     * chases the main copy (through the home's directory if need be) and applies the delta there exactly once.
     */
    private void deliverDelta(
        final TableStore table, final long key, final float[] delta, final int offset, final long requestId)
    {
        deltasInFlight.incrementAndGet();
        new RemoteRequest(runtime, table, RequestKind.PUSH, new long[] {key}, new int[] {0},
            Arrays.copyOfRange(delta, offset, offset + table.valueLength()), null,
            touchCounters, requestId).start().toCompletableFuture().whenComplete((ignored, error) ->
            {
                table.replicaStore().deltaDelivered(key);
                deltasInFlight.decrementAndGet();
                if (error != null)
                {
                    onError(error);
                }
            });
    }

    /** @return completed rounds summed over channels */
    long roundsCompleted()
    {
        long n = 0;
        for (final SyncChannel channel : channels)
        {
            n += channel.roundsCompleted;
        }
        return n;
    }

    /** @return sync messages this member sent */
    long messagesSent()
    {
        return messagesSent.get();
    }

    /** @return sync entries (keys) this member sent */
    long keysSent()
    {
        return keysSent.get();
    }

    /** @return payload bytes of sync messages this member sent */
    long bytesSent()
    {
        return bytesSent.get();
    }

    /** @return replica deltas that missed their owner in a round and are being delivered by a remote push */
    long deltasInFlight()
    {
        return deltasInFlight.get();
    }

    /** @return keys tracked by the channels (replicas, placeholders, intended main copies); racy, for statistics */
    long trackedKeys()
    {
        long n = 0;
        for (final SyncChannel channel : channels)
        {
            n += channel.trackedCount;
        }
        return n;
    }

    /** @return keys that sync rounds and sweeps looked at, each under its stripe lock */
    long keysVisited()
    {
        return keysVisited.get();
    }

    /** @return replicas in the hot lane now (racy, for statistics) */
    long hotLaneKeys()
    {
        return hot.size();
    }

    /** @return replicas the hot lane took since the member started */
    long hotLanePromotions()
    {
        return hot.promotions();
    }

    /** @return errors the sync agent ran into (each handed to the error handler) */
    long errors()
    {
        return errors.get();
    }

    /**
     * Parks the sync thread after a pass that found nothing to do, for as long as {@link #doWork} computed: until the
     * next round may start, or {@link #IDLE_MAX_PARK_NANOS}. Before the first park after work, a few spins and
     * yields, which catch a round's answers without a park and an unpark (without them kge on 2 members sent ~15%
     * more per epoch and ran slower); then no short backoff parks, which on two cores cost the workers a context
     * switch each, as the wake-ups they stand for come from answers and intents unparking the thread.
     */
    private final class Idle implements IdleStrategy
    {
        private int idles;

        @Override
        public void idle(final int workCount)
        {
            if (workCount > 0)
            {
                idles = 0;
            }
            else
            {
                idle();
            }
        }

        @Override
        public void idle()
        {
            if (idles < IDLE_SPINS)
            {
                idles++;
                Thread.onSpinWait();
            }
            else if (idles < IDLE_SPINS + IDLE_YIELDS)
            {
                idles++;
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(idleParkNanos);
            }
        }

        @Override
        public void reset()
        {
            idles = 0;
        }
    }

    void close()
    {
        runner.close();
    }
}
