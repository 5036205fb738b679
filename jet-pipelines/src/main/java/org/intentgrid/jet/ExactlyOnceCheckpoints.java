package org.intentgrid.jet;

import com.hazelcast.jet.RestartableException;
import com.hazelcast.logging.ILogger;
import com.hazelcast.map.IMap;
import org.intentgrid.ParameterGrid;
import org.intentgrid.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * One training processor's part in aligning grid checkpoints with Jet's snapshots (exactly-once, see
 * {@link TrainingStage}). Two points of a job's execution need every processor to agree on the grid's state:
 * <ul>
 *     <li><em>start</em>: the grid must be at the state of the snapshot the execution restored (checkpoint {@code n},
 *     rolled back to), or, without one, at the state of the job's first start (checkpoint 0, written or rolled back
 *     to);</li>
 *     <li><em>snapshot n</em>: in Jet's first snapshot phase, once every processor saved its window (and so stopped
 *     training), the stage's tables are checkpointed. Jet commits snapshot {@code n} only after every processor
 *     passed this point, so a committed snapshot always has its checkpoint: a member lost before it was written
 *     fails the snapshot, and the restart rolls back to the previous one. (Writing it in the second phase, after
 *     Jet committed the snapshot, would leave a window in which a restart finds snapshot {@code n} without its
 *     checkpoint, and the crashed member's updates not yet backed up would be lost without a rollback.)</li>
 * </ul>
 * At each point every processor claims the work through an IMap entry; the first claim runs it on a writer thread
 * and then marks it done, the others poll for the mark. Nothing here blocks the caller (a cooperative thread):
 * every method returns at once and tells whether the point was passed.
 */
final class ExactlyOnceCheckpoints
{
    /** The IMap of claims and done marks, one pair per point of an execution. */
    static final String MARKS_MAP = "intentgrid-jet-checkpoints";
    private static final long MARK_TTL_HOURS = 24;
    private static final String SNAPSHOT_PREFIX = "snapshot-";
    private static final long POLL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How long a processor waits for another one's checkpoint before it asks Jet to restart the job. */
    private static final long WAIT_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final int CHECKPOINT_ATTEMPTS = 5;
    private static final long RETRY_PAUSE_MILLIS = 200;
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(runnable ->
    {
        final Thread thread = new Thread(runnable, "intentgrid-jet-checkpoint");
        thread.setDaemon(true);
        return thread;
    });

    private final ParameterGrid grid;
    private final List<Table> tables;
    private final Path jobDirectory;
    private final String executionPrefix;
    private final String claimant;
    private final int processorIndex;
    private final int processors;
    private final IMap<String, String> marks;
    private final ILogger logger;
    /** The last snapshot saved or restored; 0 before the first. */
    private long snapshot;
    private boolean started;
    /** The last snapshot whose checkpoint this processor wrote, or -1. */
    private long written = -1;
    /** Tells the writer thread to stop waiting for the other processors: this one is closing. */
    private volatile boolean closed;
    private String point;
    private CompletableFuture<String> claim;
    private CompletableFuture<Void> work;
    private CompletableFuture<Void> cleanup;
    private CompletableFuture<String> poll;
    private long lastPollNanos;
    private long waitingSinceNanos;

    ExactlyOnceCheckpoints(
        final ParameterGrid grid, final List<Table> tables, final Path root, final long jobId, final long executionId,
        final int processorIndex, final int processors, final IMap<String, String> marks, final String claimant,
        final ILogger logger)
    {
        this.grid = grid;
        this.tables = tables;
        this.jobDirectory = root.resolve("job-" + Long.toHexString(jobId));
        this.executionPrefix = Long.toHexString(jobId) + "/" + Long.toHexString(executionId) + "/";
        this.claimant = claimant;
        this.processorIndex = processorIndex;
        this.processors = processors;
        this.marks = marks;
        this.logger = logger;
    }

    /** The execution restores snapshot {@code number} (told once per processor that saved it). */
    void restored(final long number)
    {
        snapshot = Math.max(snapshot, number);
    }

    /** @return true once the grid is at the state this execution starts from */
    boolean mayTrain()
    {
        if (!started)
        {
            if (!passed("start-" + snapshot, this::start))
            {
                return false;
            }
            started = true;
        }
        return true;
    }

    /** @return the number of the snapshot being saved (the same on every processor: they count alike) */
    long nextSnapshot()
    {
        return snapshot + 1;
    }

    /** The processor saved the snapshot {@link #nextSnapshot} named, and trains nothing until {@link #prepared}. */
    void saved()
    {
        snapshot++;
        marks.setAsync(savedMark(snapshot, processorIndex), claimant, MARK_TTL_HOURS, TimeUnit.HOURS);
    }

    /** The processor completed: it saves no further snapshot and trains nothing more, so no checkpoint waits for it. */
    void finished()
    {
        marks.setAsync(finishedMark(processorIndex), claimant, MARK_TTL_HOURS, TimeUnit.HOURS);
    }

    /**
     * Jet's first snapshot phase: the saved snapshot's checkpoint is written by the first processor to claim it, once
     * every processor saved the snapshot.
     *
     * @return true once the checkpoint is written and the processor may train again
     */
    boolean prepared()
    {
        final long number = snapshot;
        if (!passed("snapshot-" + number, () -> checkpointOnceAllSaved(number)))
        {
            return false;
        }
        if (work != null)
        {
            written = number;
        }
        return true;
    }

    /**
     * Jet's second snapshot phase: once Jet committed the snapshot, no restart needs an older checkpoint, so the
     * processor that wrote this one deletes those.
     */
    void committed(final boolean success)
    {
        if (success && written == snapshot && (cleanup == null || cleanup.isDone()))
        {
            final long number = snapshot;
            cleanup = CompletableFuture.runAsync(() -> deleteBefore(number), WRITERS);
        }
    }

    /** Waits for this processor's own writing to finish, so that it never overlaps with the next execution's. */
    void close()
    {
        closed = true;
        awaitQuietly(work);
        awaitQuietly(cleanup);
    }

    private void awaitQuietly(final CompletableFuture<Void> running)
    {
        if (running == null)
        {
            return;
        }
        try
        {
            running.get(2, TimeUnit.MINUTES);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        catch (final ExecutionException | TimeoutException e)
        {
            logger.warning("grid checkpoint work of " + point + " did not finish: " + e);
        }
    }

    /**
     * Drives one point: claims it, runs {@code task} if the claim was first, else polls for the claimant's mark.
     *
     * @return true once the point is passed
     */
    private boolean passed(final String name, final Runnable task)
    {
        if (!name.equals(point))
        {
            point = name;
            claim = marks.putAsync(executionPrefix + name + "/claim", claimant, MARK_TTL_HOURS, TimeUnit.HOURS)
                .toCompletableFuture();
            work = null;
            poll = null;
            waitingSinceNanos = System.nanoTime();
        }
        if (!claim.isDone())
        {
            return false;
        }
        if (work == null && claim.join() == null)
        {
            work = CompletableFuture.runAsync(task, WRITERS).thenCompose(ignored -> marks.setAsync(
                executionPrefix + name + "/done", claimant, MARK_TTL_HOURS, TimeUnit.HOURS).toCompletableFuture());
        }
        if (work != null)
        {
            if (!work.isDone())
            {
                return false;
            }
            try
            {
                work.join();
            }
            catch (final CompletionException e)
            {
                if (e.getCause() instanceof RestartableException restartable)
                {
                    throw restartable;
                }
                throw new IllegalStateException("grid checkpoint step '" + name + "' failed: " + e.getCause(),
                    e.getCause());
            }
            return true;
        }
        return markSeen(name);
    }

    private boolean markSeen(final String name)
    {
        final long now = System.nanoTime();
        if (poll == null)
        {
            if (now - lastPollNanos < POLL_INTERVAL_NANOS)
            {
                return false;
            }
            lastPollNanos = now;
            poll = marks.getAsync(executionPrefix + name + "/done").toCompletableFuture();
        }
        if (!poll.isDone())
        {
            return false;
        }
        final String done = poll.join();
        poll = null;
        if (done != null)
        {
            return true;
        }
        if (now - waitingSinceNanos > WAIT_LIMIT_NANOS)
        {
            throw new RestartableException("grid checkpoint step '" + name + "' claimed by another processor did " +
                "not finish within " + TimeUnit.NANOSECONDS.toSeconds(WAIT_LIMIT_NANOS) + " s; restarting the job " +
                "from its last snapshot");
        }
        return false;
    }

    /** The start of an execution: back to the restored snapshot's checkpoint, or the job's first checkpoint. */
    private void start()
    {
        final Path directory = snapshotDirectory(snapshot);
        if (ParameterGrid.isCompleteCheckpoint(directory))
        {
            final long began = System.nanoTime();
            // right after a member was lost its keys are still being recovered: the rollback finds them in transit
            // and fails until the recovery is done; a job must not fail for that
            withAttempts("grid rollback to " + directory, () -> grid.rollback(directory));
            logger.info("rolled the grid back to " + directory + " in " +
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) + " ms");
        }
        else if (snapshot == 0)
        {
            // the first execution, or a restart before any snapshot whose first start did not finish checkpoint 0:
            // nobody has trained yet
            checkpoint(0);
        }
        else
        {
            throw new IllegalStateException("the job restarts from its snapshot " + snapshot + ", but its grid " +
                "checkpoint " + directory + " is missing or incomplete (deleted?); exactly-once training cannot " +
                "continue from it: cancel the job and start it anew");
        }
    }

    private void checkpointOnceAllSaved(final long number)
    {
        awaitEveryProcessorSaved(number);
        // a directory of this number left by a snapshot that failed is overwritten: its manifest goes first
        checkpoint(number);
    }

    /** Waits (on the writer thread) until every processor saved snapshot {@code number} or completed. */
    private void awaitEveryProcessorSaved(final long number)
    {
        final BitSet missing = new BitSet(processors);
        missing.set(0, processors);
        final long deadline = System.nanoTime() + WAIT_LIMIT_NANOS;
        while (!missing.isEmpty())
        {
            final Set<String> keys = new HashSet<>();
            missing.stream().forEach(index ->
            {
                keys.add(savedMark(number, index));
                keys.add(finishedMark(index));
            });
            final Set<String> present = marks.getAll(keys).keySet();
            for (int index = missing.nextSetBit(0); index >= 0; index = missing.nextSetBit(index + 1))
            {
                if (present.contains(savedMark(number, index)) || present.contains(finishedMark(index)))
                {
                    missing.clear(index);
                }
            }
            if (missing.isEmpty())
            {
                return;
            }
            if (closed)
            {
                throw new IllegalStateException("the processor closed while waiting for snapshot " + number);
            }
            if (System.nanoTime() > deadline)
            {
                throw new RestartableException("processors " + missing + " did not save snapshot " + number +
                    " within " + TimeUnit.NANOSECONDS.toSeconds(WAIT_LIMIT_NANOS) + " s; restarting the job from " +
                    "its last snapshot");
            }
            LockSupport.parkNanos(POLL_INTERVAL_NANOS);
        }
    }

    private void checkpoint(final long number)
    {
        final Path directory = snapshotDirectory(number);
        final long began = System.nanoTime();
        // keys still moving for intents signalled before the snapshot arrive within a few sync rounds; a member lost
        // meanwhile fails every attempt, and the restart rolls back to the last checkpoint
        withAttempts("grid checkpoint " + directory, () -> grid.checkpoint(directory, tables));
        logger.fine("grid checkpoint " + directory + " written in " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) + " ms");
    }

    private String savedMark(final long number, final int index)
    {
        return executionPrefix + "snapshot-" + number + "/saved-" + index;
    }

    private String finishedMark(final int index)
    {
        return executionPrefix + "finished-" + index;
    }

    /** Removes the checkpoints older than {@code oldest}: no restart can use them once a later snapshot committed. */
    private void deleteBefore(final long oldest)
    {
        try (Stream<Path> directories = Files.list(jobDirectory))
        {
            for (final Path directory : directories.filter(d -> snapshotNumber(d) < oldest).toList())
            {
                try (Stream<Path> files = Files.walk(directory))
                {
                    for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
                    {
                        Files.delete(file);
                    }
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot delete the checkpoints before " + oldest + " in " + jobDirectory,
                e);
        }
    }

    /** @return the number of a checkpoint directory, or {@code Long.MAX_VALUE} for anything else */
    private static long snapshotNumber(final Path directory)
    {
        final String name = directory.getFileName().toString();
        if (!name.startsWith(SNAPSHOT_PREFIX))
        {
            return Long.MAX_VALUE;
        }
        try
        {
            return Long.parseLong(name.substring(SNAPSHOT_PREFIX.length()));
        }
        catch (final NumberFormatException e)
        {
            return Long.MAX_VALUE;
        }
    }

    private Path snapshotDirectory(final long number)
    {
        return jobDirectory.resolve(SNAPSHOT_PREFIX + number);
    }

    /**
     * Runs {@code action} until it succeeds, at most {@link #CHECKPOINT_ATTEMPTS} times, pausing between attempts.
     *
     * @throws RestartableException if every attempt failed (Jet restarts the job from its last snapshot)
     * @throws UncheckedIOException at once: the disk will not get better by waiting
     * @throws IllegalArgumentException at once: a damaged or missing checkpoint stays so
     */
    static void withAttempts(final String what, final Runnable action)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                action.run();
                return;
            }
            catch (final UncheckedIOException | IllegalArgumentException e)
            {
                throw e;
            }
            catch (final RuntimeException e)
            {
                if (attempt == CHECKPOINT_ATTEMPTS)
                {
                    throw new RestartableException(what + " failed " + attempt + " times: " + e, e);
                }
                pause();
            }
        }
    }

    private static void pause()
    {
        try
        {
            Thread.sleep(RETRY_PAUSE_MILLIS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a grid checkpoint", e);
        }
    }
}
