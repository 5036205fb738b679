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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One training processor's part in aligning grid checkpoints with Jet's snapshots (exactly-once, see
 * {@link TrainingStage}). Two points of a job's execution need every processor to agree on the grid's state:
 * <ul>
 *     <li><em>start</em>: the grid must be at the state of the snapshot the execution restored (checkpoint {@code n},
 *     rolled back to), or, without one, at the state of the job's first start (checkpoint 0, written or rolled back
 *     to);</li>
 *     <li><em>snapshot n</em>: once Jet committed it, the stage's tables are checkpointed before anyone trains.</li>
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
    private final IMap<String, String> marks;
    private final ILogger logger;
    /** The last snapshot saved or restored; 0 before the first. */
    private long snapshot;
    private boolean started;
    /** The snapshot saved whose checkpoint is not written yet, or -1: no training meanwhile. */
    private long pausedAt = -1;
    private String point;
    private CompletableFuture<String> claim;
    private CompletableFuture<Void> work;
    private CompletableFuture<String> poll;
    private long lastPollNanos;
    private long waitingSinceNanos;

    ExactlyOnceCheckpoints(
        final ParameterGrid grid, final List<Table> tables, final Path root, final long jobId, final long executionId,
        final IMap<String, String> marks, final String claimant, final ILogger logger)
    {
        this.grid = grid;
        this.tables = tables;
        this.jobDirectory = root.resolve("job-" + Long.toHexString(jobId));
        this.executionPrefix = Long.toHexString(jobId) + "/" + Long.toHexString(executionId) + "/";
        this.claimant = claimant;
        this.marks = marks;
        this.logger = logger;
    }

    /** The execution restores snapshot {@code number} (told once per processor that saved it). */
    void restored(final long number)
    {
        snapshot = Math.max(snapshot, number);
    }

    /** @return true once the grid is at the state this execution starts from and no checkpoint is pending */
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
        return pausedAt < 0;
    }

    /** @return the number of the snapshot being saved (the same on every processor: they count alike) */
    long nextSnapshot()
    {
        return snapshot + 1;
    }

    /** The processor saved the snapshot {@link #nextSnapshot} named: no training until its checkpoint is written. */
    void saved()
    {
        snapshot++;
        pausedAt = snapshot;
    }

    /**
     * Jet's second snapshot phase: on success the saved snapshot's checkpoint is written (by the first processor to
     * claim it); on failure training goes on, and the next snapshot is aligned instead.
     *
     * @return true once the processor may train again
     */
    boolean commitFinished(final boolean success)
    {
        if (pausedAt < 0)
        {
            return true;
        }
        final long number = pausedAt;
        if (success && !passed("snapshot-" + number, () -> checkpoint(number)))
        {
            return false;
        }
        pausedAt = -1;
        return true;
    }

    /** Waits for this processor's own writing to finish, so that it never overlaps with the next execution's. */
    void close()
    {
        final CompletableFuture<Void> running = work;
        if (running != null)
        {
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
                logger.warning("grid checkpoint of " + point + " did not finish: " + e);
            }
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
            grid.rollback(directory);
            logger.info("rolled the grid back to " + directory + " in " +
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) + " ms");
        }
        else if (snapshot == 0)
        {
            checkpoint(0);
        }
        // else: the execution stopped before the restored snapshot's checkpoint was written, so nobody trained since
    }

    private void checkpoint(final long number)
    {
        final Path directory = snapshotDirectory(number);
        final long began = System.nanoTime();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                grid.checkpoint(directory, tables);
                break;
            }
            catch (final IllegalStateException e)
            {
                // keys still moving for intents signalled before the pause: they arrive within a few sync rounds
                if (attempt == CHECKPOINT_ATTEMPTS)
                {
                    throw e;
                }
                pause();
            }
        }
        logger.fine("grid checkpoint " + directory + " written in " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) + " ms");
        deleteBefore(number - 1);
    }

    /** Removes the checkpoints older than {@code oldest}: no restart can use them once a later snapshot committed. */
    private void deleteBefore(final long oldest)
    {
        for (long n = oldest - 1; n >= 0; n--)
        {
            final Path directory = snapshotDirectory(n);
            if (!Files.exists(directory))
            {
                return;
            }
            try (Stream<Path> files = Files.walk(directory))
            {
                for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.delete(file);
                }
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("cannot delete the old checkpoint " + directory, e);
            }
        }
    }

    private Path snapshotDirectory(final long number)
    {
        return jobDirectory.resolve("snapshot-" + number);
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
