package org.intentgrid.internal;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a member does when another member is lost (crashed, or left): the lost member's backup holder — the member
 * after it in the member list as it was — first asks every survivor which of the backed-up keys it holds the main
 * copy of already (they moved on from the lost member, and their homes may not have heard yet) and records those
 * owners at the homes; then it claims each other key at its home, which grants it while its directory records the
 * lost member, an ownership older than the backup's (a move the home never backed up before it crashed too), or
 * nothing — so a key that had moved on is never revived — installs the granted copies as main copies (they reach
 * this member's own backup at its next flush) and then tells every member that the lost member is recovered:
 * directory entries still naming it are removed, and those keys (never changed, or changed only by the lost member
 * since its last flush) start again from their initializers at their homes.
 * <p>
 * Without backups, or when the holder is gone too, every member voids the lost member's entries at once. Other
 * members forget the stale backups they may still hold of the lost member.
 */
final class CrashRecovery
{
    private static final long RETRY_MILLIS = 20;

    private final MemberRuntime runtime;
    private final BackupStore backups;
    private final HomeDirectoryServer homeDirectory;
    private final HandedOver handedOver;
    private final RecoveryPins pins;
    private final AtomicLong recoveries = new AtomicLong();
    private final AtomicLong keysRecovered = new AtomicLong();
    private final AtomicLong keysRefused = new AtomicLong();
    private volatile long lastRecoveryMillis = -1;
    private volatile long lastBackupAgeMillis = -1;
    /** The member list as this member last saw it: where a lost member's holder was. */
    private volatile List<UUID> members = List.of();
    /**
     * Per lost member whose recovery runs here, completes once every survivor heard it was recovered: a checkpoint or
     * rollback right after a crash waits for it rather than finding the lost member's keys in transit.
     */
    private final Map<UUID, CompletableFuture<Void>> underway = new ConcurrentHashMap<>();
    /** Every member this member heard was lost: a checkpoint's coordinator tells the others to hear of them first. */
    private final Set<UUID> heardLost = ConcurrentHashMap.newKeySet();

    CrashRecovery(
        final MemberRuntime runtime, final BackupStore backups, final HomeDirectoryServer homeDirectory,
        final HandedOver handedOver, final RecoveryPins pins)
    {
        this.pins = pins;
        this.runtime = runtime;
        this.handedOver = handedOver;
        this.backups = backups;
        this.homeDirectory = homeDirectory;
    }

    /** A member joined: remembers the member list. */
    synchronized void membersChanged(final List<UUID> now)
    {
        members = List.copyOf(now);
    }

    /** A member is gone: starts its recovery here if this member holds its backups. */
    synchronized void memberLost(final UUID lost, final List<UUID> now)
    {
        heardLost.add(lost);
        final List<UUID> before = members;
        members = List.copyOf(now);
        final UUID holder = runtime.config().backups() == 0 ? null : BackupFlusher.successor(before, lost);
        if (holder == null || !now.contains(holder))
        {
            backups.dropOrigin(lost);
            handedOver.takeHandedTo(lost);
            homeDirectory.ownerLost(lost);
            return;
        }
        if (holder.equals(runtime.self()))
        {
            final CompletableFuture<Void> done = starting(lost);
            runtime.recoveryThreads().execute(() ->
            {
                if (backups.isComplete(lost) || !previousHolderTookOver(lost))
                {
                    recover(lost, done);
                }
                else
                {
                    done.complete(null);
                }
            });
        }
        else if (!backups.isComplete(lost))
        {
            backups.dropOrigin(lost);
        }
        // else: the previous holder keeps its complete copy until the holder by the member list either recovered the
        // lost member (RECOVERED) or asks this member to (RECOVER), its own copy being incomplete
    }

    /**
     * Serves the lost member's holder's {@link RequestKind#RECOVER}: recovers {@code lost} here if this member holds
     * a complete backup of it.
     *
     * @return true if this member recovers it
     */
    boolean takeOver(final UUID lost)
    {
        if (!backups.isComplete(lost))
        {
            return false;
        }
        final CompletableFuture<Void> done = starting(lost);
        runtime.recoveryThreads().execute(() -> recover(lost, done));
        return true;
    }

    /** @return completes when the recovery of {@code lost} that starts here now is over (see {@link #underway}) */
    private CompletableFuture<Void> starting(final UUID lost)
    {
        lastBackupAgeMillis = backups.millisSinceLastBackup(lost);
        final CompletableFuture<Void> done = new CompletableFuture<>();
        underway.put(lost, done);
        done.whenComplete((ignored, error) -> underway.remove(lost, done));
        return done;
    }

    /** @return the members this member heard were lost, for the members it coordinates a checkpoint with */
    UUID[] heardLost()
    {
        return heardLost.toArray(new UUID[0]);
    }

    /**
     * @return true unless one of {@code lost} is still a member by the membership events this member has processed
     *         (it has not heard of that loss yet, so its recovery may not have started); members it never knew of
     *         (they were lost before it joined) count as heard
     */
    synchronized boolean hasHeardOf(final UUID[] lost)
    {
        for (final UUID member : lost)
        {
            if (!heardLost.contains(member) && members.contains(member))
            {
                return false;
            }
        }
        return true;
    }

    /** @return completes once the recoveries running on this member now are over */
    CompletableFuture<Void> underway()
    {
        return CompletableFuture.allOf(underway.values().toArray(new CompletableFuture<?>[0]));
    }

    /**
     * This member holds the lost member's backups by the member list, but its resync was not complete when the
     * member was lost (a member had joined next to it less than a flush ago): asks the others whether one holds a
     * complete backup (the previous holder, not yet released) and recovers from it.
     *
     * @return true if another member took the recovery over
     */
    private boolean previousHolderTookOver(final UUID lost)
    {
        boolean tookOver = false;
        for (final CompletableFuture<DataReply> answer :
            runtime.toOtherMembers(new DataRequest(null, RequestKind.RECOVER, new long[0], null, null, lost)))
        {
            final DataReply reply = await(answer);
            tookOver |= reply != null && reply.status.length > 0;
        }
        if (tookOver)
        {
            runtime.log("lost member " + lost + " is recovered by its previous backup holder: the resync to this " +
                "member was not complete");
        }
        return tookOver;
    }

    /** Serves a holder's announcement that {@code lost} was recovered. */
    void recovered(final UUID lost)
    {
        backups.dropOrigin(lost);
        handedOver.takeHandedTo(lost);
        homeDirectory.ownerLost(lost);
    }

    private static boolean holdsAny(final List<BackupStore.Copies> held)
    {
        for (final BackupStore.Copies copies : held)
        {
            if (copies.size() > 0)
            {
                return true;
            }
        }
        return false;
    }

    private void recover(final UUID lost, final CompletableFuture<Void> done)
    {
        final long start = System.nanoTime();
        final AppliedRequests lostApplied = backups.applied(lost);
        final List<BackupStore.Copies> held = backups.takeOrigin(lost);
        if (lostApplied != null && holdsAny(held))
        {
            // before any claim: a retry reaches this member only once a home names it the owner. With no copy held
            // (a member that left gracefully) nothing is installed here, and two generations of fingerprints
            // took half a second to merge
            runtime.applied().addAll(lostApplied);
        }
        long recovered = 0;
        try
        {
            for (final BackupStore.Copies copies : held)
            {
                final TableStore table = runtime.tables().liveTable(copies.spec);
                if (table != null)
                {
                    for (final DataRequest piece : copies.pieces())
                    {
                        recovered += claimAndInstall(table, lost, piece, true);
                    }
                }
                copies.free();
            }
        }
        catch (final RuntimeException e)
        {
            runtime.errorHandler().onError(e);
        }
        finally
        {
            reclaimEverywhere(lost);
            homeDirectory.ownerLost(lost);
            // each survivor answers once its own re-sends landed; this member's count too before the pins go
            final List<CompletableFuture<?>> resent = new ArrayList<>(runtime.toOtherMembers(
                new DataRequest(null, RequestKind.RECOVERED, new long[0], null, null, lost)));
            resent.add(runtime.resentOf(lost));
            CompletableFuture.allOf(resent.toArray(new CompletableFuture<?>[0]))
                .orTimeout(runtime.config().requestTimeoutMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((told, error) ->
                {
                    pins.release(lost);
                    done.complete(null);
                });
            // a member that left gracefully handed its keys off: its backups all moved on, nothing to report
            if (recovered > 0)
            {
                keysRecovered.addAndGet(recovered);
                recoveries.incrementAndGet();
                lastRecoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                runtime.log("recovered " + recovered + " main copies of lost member " + lost + " from their backups " +
                    "in " + lastRecoveryMillis + " ms");
            }
        }
    }

    /**
     * Has every member (this one too) claim back the main copies it handed {@code lost} that {@code lost} never
     * confirmed backed up — after this member's claims, since a backup that has a key at all is fresher than the
     * copy its previous owner kept — and waits for them, before any home voids the entries naming {@code lost}.
     */
    private void reclaimEverywhere(final UUID lost)
    {
        final List<CompletableFuture<DataReply>> others =
            runtime.toOtherMembers(new DataRequest(null, RequestKind.RECLAIM, new long[0], null, null, lost));
        try
        {
            reclaim(lost);
        }
        catch (final RuntimeException e)
        {
            runtime.errorHandler().onError(e);
        }
        for (final CompletableFuture<DataReply> answer : others)
        {
            await(answer);
        }
    }

    /**
     * Claims back, at their homes, the main copies this member handed {@code lost} that {@code lost} never confirmed
     * backed up, and installs those granted (a key that moved on from {@code lost}, or that its backup holder
     * recovered, is refused).
     *
     * @return keys reclaimed
     */
    long reclaim(final UUID lost)
    {
        long reclaimed = 0;
        for (final Map.Entry<TableStore, DataRequest> piece : handedOver.takeHandedTo(lost).entrySet())
        {
            if (!piece.getKey().isDropped())
            {
                reclaimed += claimAndInstall(piece.getKey(), lost, piece.getValue(), false);
            }
        }
        if (reclaimed > 0)
        {
            keysRecovered.addAndGet(reclaimed);
            runtime.log("reclaimed " + reclaimed + " main copies handed to lost member " + lost +
                " before its backup had them");
        }
        return reclaimed;
    }

    /**
     * Claims one piece of backups at the keys' homes (retrying partitions that move meanwhile) and installs the
     * granted keys as main copies here.
     *
     * @param pin true for keys recovered from {@code lost}'s backup: they stay here until the survivors' re-sends
     *            landed ({@link RecoveryPins})
     * @return keys installed
     */
    private long claimAndInstall(final TableStore table, final UUID lost, final DataRequest piece, final boolean pin)
    {
        final Router router = runtime.router();
        final int length = table.valueLength();
        final long timeoutMillis = runtime.config().requestTimeoutMillis();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        final boolean[] movedOn = movedOn(table, piece, deadline);
        final Int2ObjectHashMap<IntArrayList> byPartition = new Int2ObjectHashMap<>();
        for (int i = 0; i < piece.keys.length; i++)
        {
            if (movedOn[i])
            {
                keysRefused.incrementAndGet();
                continue;
            }
            byPartition.computeIfAbsent(router.partitionOf(table.spec(), piece.keys[i]), p -> new IntArrayList())
                .addInt(i);
        }
        long installed = 0;
        while (!byPartition.isEmpty())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("recovery of " + lost + ": the homes of " + byPartition.size() +
                    " partitions did not answer its claims within " + timeoutMillis + " ms");
            }
            final Map<UUID, List<Integer>> byHome = new HashMap<>();
            byPartition.forEach((partition, indexes) ->
            {
                final UUID home = router.homeOf(partition);
                if (home != null)
                {
                    byHome.computeIfAbsent(home, h -> new ArrayList<>()).add(partition);
                }
            });
            final List<CompletableFuture<DataReply[]>> answers = new ArrayList<>();
            final List<int[]> asked = new ArrayList<>();
            for (final Map.Entry<UUID, List<Integer>> home : byHome.entrySet())
            {
                final int[] partitions = home.getValue().stream().mapToInt(Integer::intValue).toArray();
                final DataRequest[] claims = new DataRequest[partitions.length];
                for (int p = 0; p < partitions.length; p++)
                {
                    final IntArrayList indexes = byPartition.get(partitions[p]);
                    final long[] keys = new long[indexes.size()];
                    final long[] counters = new long[keys.length];
                    for (int j = 0; j < keys.length; j++)
                    {
                        keys[j] = piece.keys[indexes.getInt(j)];
                        counters[j] = piece.counters[indexes.getInt(j)];
                    }
                    claims[p] = new DataRequest(table.spec(), RequestKind.CLAIM, keys, null, counters, lost);
                }
                answers.add(router.port().home(home.getKey(), partitions, claims));
                asked.add(partitions);
            }
            for (int h = 0; h < answers.size(); h++)
            {
                final DataReply[] replies = await(answers.get(h));
                final int[] partitions = asked.get(h);
                for (int p = 0; p < partitions.length; p++)
                {
                    if (replies == null || replies[p] == null)
                    {
                        continue;
                    }
                    final IntArrayList indexes = byPartition.remove(partitions[p]);
                    for (int j = 0; j < indexes.size(); j++)
                    {
                        final int i = indexes.getInt(j);
                        if (replies[p].status[j] == DataReply.SERVED)
                        {
                            if (pin)
                            {
                                pins.pin(lost, table.spec(), piece.keys[i]);
                            }
                            table.installRecovered(piece.keys[i], piece.values, i * length, replies[p].counters[j],
                                Lineages.start(router.port(), piece.versions[i]));
                            installed++;
                        }
                        else
                        {
                            keysRefused.incrementAndGet();
                        }
                    }
                }
            }
            if (!byPartition.isEmpty())
            {
                sleep();
            }
        }
        return installed;
    }

    /**
     * Asks every member which keys of {@code piece} it holds the main copy of, and records those owners at the keys'
     * homes (the notice the new owner sent may still be on its way, or was lost with the home).
     *
     * @return per key, true if a member holds its main copy already
     */
    private boolean[] movedOn(final TableStore table, final DataRequest piece, final long deadlineNanos)
    {
        final boolean[] movedOn = new boolean[piece.keys.length];
        final DataRequest ask = new DataRequest(table.spec(), RequestKind.MAIN_COPIES, piece.keys, null, null, null);
        for (final UUID member : runtime.router().port().members())
        {
            final DataReply reply = await(runtime.router().port().direct(member, ask));
            if (reply == null)
            {
                continue;
            }
            final LongArrayList keys = new LongArrayList();
            final LongArrayList counters = new LongArrayList();
            for (int i = 0; i < piece.keys.length; i++)
            {
                if (reply.status[i] == DataReply.SERVED)
                {
                    movedOn[i] = true;
                    keys.addLong(piece.keys[i]);
                    counters.addLong(reply.counters[i]);
                }
            }
            if (!keys.isEmpty())
            {
                await(runtime.notices().send(table.spec(), keys.toLongArray(), counters.toLongArray(), member,
                    deadlineNanos));
            }
        }
        return movedOn;
    }

    private <T> T await(final CompletableFuture<T> answer)
    {
        try
        {
            return answer.get(runtime.config().requestTimeoutMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("recovery interrupted", e);
        }
        catch (final ExecutionException | TimeoutException e)
        {
            return null;
        }
    }

    private static void sleep()
    {
        try
        {
            Thread.sleep(RETRY_MILLIS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("recovery interrupted", e);
        }
    }

    /** @return recoveries this member ran as a lost member's backup holder */
    long recoveries()
    {
        return recoveries.get();
    }

    /** @return main copies this member recovered from backups */
    long keysRecovered()
    {
        return keysRecovered.get();
    }

    /** @return backed-up keys whose home refused the claim (the key had moved on before the loss) */
    long keysRefused()
    {
        return keysRefused.get();
    }

    /** @return how long this member's last recovery took, or -1 */
    long lastRecoveryMillis()
    {
        return lastRecoveryMillis;
    }

    /** @return at the last recovery started here, how old the lost member's last backup was, or -1 */
    long lastBackupAgeMillis()
    {
        return lastBackupAgeMillis;
    }
}
