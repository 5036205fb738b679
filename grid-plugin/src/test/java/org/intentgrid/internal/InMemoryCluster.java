package org.intentgrid.internal;

import org.intentgrid.GridConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A cluster of member runtimes in one JVM without Hazelcast: each member gets an {@link InMemoryClusterPort}, and
 * every message is served on one "network" thread, which also plays every partition's thread (so home requests
 * are serialized as at a real partition owner), except checkpoint messages, which block while they wait for other
 * messages and so are served on threads of their own (as Hazelcast serves them on a generic thread). Partitions
 * start assigned round robin and can be moved by a test.
 * <p>
 * A test can watch and steer the traffic with an {@link Interceptor}: it sees every message before it is served
 * and may answer it itself, delay it, or let it through. For the unit-test layer of the protocol roles: messages
 * are passed by reference (senders never reuse them), and a test runs in milliseconds.
 */
public final class InMemoryCluster implements AutoCloseable
{
    /** Sees every message on its way; returns null to let it be served normally. */
    @FunctionalInterface
    public interface Interceptor
    {
        /**
         * @param message what is being sent, e.g. {@code "direct pull"}, {@code "home notice"}, {@code "sync"}
         * @param from    the sender
         * @param to      the destination
         * @param payload the {@link DataRequest}, the {@code DataRequest[]} of a home operation or the
         *                {@link SyncMessage} of a sync message
         * @return a future answer to use instead of serving the message, or null to serve it
         */
        CompletableFuture<?> intercept(String message, UUID from, UUID to, Object payload);
    }

    /** A sync message as an {@link Interceptor} sees it: its batches, and the channel and id its sender gave it. */
    public record SyncMessage(int channel, SyncBatch[] batches, long requestId)
    {
        /** @return true if the message's entry for {@code key} has {@code flag} ({@link SyncBatch#DELTA}, ...) */
        public boolean carries(final long key, final byte flag)
        {
            for (final SyncBatch batch : batches)
            {
                for (int i = 0; i < batch.keys.length; i++)
                {
                    if (batch.keys[i] == key && (batch.flags[i] & flag) != 0)
                    {
                        return true;
                    }
                }
            }
            return false;
        }

        /** @return {@code owner}'s answer to the message from {@code sender}, served now on the calling thread */
        public SyncBatchReply[] serveAt(final MemberRuntime owner, final UUID sender)
        {
            return owner.serveSync(channel, batches, sender, requestId);
        }
    }

    private final int partitionCount;
    private final UUID[] partitionOwners;
    private final Map<UUID, MemberRuntime> runtimes = new ConcurrentHashMap<>();
    private final List<UUID> members = new CopyOnWriteArrayList<>();
    private final List<String> traffic = new CopyOnWriteArrayList<>();
    private final ExecutorService network = Executors.newSingleThreadExecutor(r ->
    {
        final Thread t = new Thread(r, "in-memory-network");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService blockingOperations = Executors.newCachedThreadPool(r ->
    {
        final Thread t = new Thread(r, "in-memory-blocking-operation");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong nextId = new AtomicLong(1);
    private volatile Interceptor interceptor = (message, from, to, payload) -> null;

    /** @param partitionCount partitions of the key space, as Hazelcast's partition count */
    public InMemoryCluster(final int partitionCount)
    {
        this.partitionCount = partitionCount;
        this.partitionOwners = new UUID[partitionCount];
    }

    /** Starts a member runtime with {@code config}; its errors fail nothing but are recorded in its statistics. */
    public MemberRuntime addMember(final GridConfig config)
    {
        return addMember(config, error -> traffic.add("error " + error));
    }

    /** Starts a member runtime whose background errors go to {@code errorHandler}. */
    public MemberRuntime addMember(final GridConfig config, final org.agrona.ErrorHandler errorHandler)
    {
        final UUID id = new UUID(0, nextId.getAndIncrement());
        members.add(id);
        synchronized (partitionOwners)
        {
            for (int p = 0; p < partitionCount; p++)
            {
                partitionOwners[p] = members.get(p % members.size());
            }
        }
        final MemberRuntime runtime = new MemberRuntime(new InMemoryClusterPort(this, id), config, errorHandler);
        runtimes.put(id, runtime);
        for (final MemberRuntime member : runtimes.values())
        {
            member.memberAdded(id, members());
        }
        return runtime;
    }

    /**
     * Takes {@code member} away as a crash does: it answers nothing from now on, its runtime stops without handing
     * anything off, and every survivor hears that it was lost. A member that owns home partitions cannot crash here
     * (the home directory is not replicated between in-memory members).
     */
    public void crash(final UUID member)
    {
        crashUnnoticed(member);
        notice(member);
    }

    /**
     * Takes {@code member} away as {@link #crash} does, but the survivors' membership events are late: the cluster
     * no longer lists it, and no survivor has heard it was lost until {@link #notice}.
     */
    public void crashUnnoticed(final UUID member)
    {
        for (int p = 0; p < partitionCount; p++)
        {
            if (member.equals(partitionOwnerOf(p)))
            {
                throw new IllegalArgumentException("member " + name(member) + " owns partition " + p +
                    "; move its partitions to a survivor before crashing it");
            }
        }
        members.remove(member);
        runtimes.remove(member).shutdown();
    }

    /** Every survivor hears now that {@code member}, crashed unnoticed, was lost. */
    public void notice(final UUID member)
    {
        for (final MemberRuntime survivor : runtimes.values())
        {
            noticeAt(survivor, member);
        }
    }

    /** Only {@code survivor} hears now that {@code member}, crashed unnoticed, was lost. */
    public void noticeAt(final MemberRuntime survivor, final UUID member)
    {
        survivor.memberRemoved(member, members());
    }

    /** Moves a partition (its home role) to {@code owner}, or leaves it unassigned with null. */
    public void partitionOwner(final int partition, final UUID owner)
    {
        synchronized (partitionOwners)
        {
            partitionOwners[partition] = owner;
        }
    }

    /** Makes {@code home} the owner of every partition (the home of every key). */
    public void homesAt(final MemberRuntime home)
    {
        for (int p = 0; p < partitionCount; p++)
        {
            partitionOwner(p, home.self());
        }
    }

    /**
     * Waits up to 20 s until {@code condition} holds.
     *
     * @throws AssertionError naming {@code what} if it never did
     */
    public void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting until " + what + "; traffic: " + traffic);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /** Replaces the interceptor (the default lets every message through). */
    public void interceptor(final Interceptor interceptor)
    {
        this.interceptor = interceptor;
    }

    /**
     * Replaces the interceptor by one that takes the first sync message from {@code from} carrying an entry for
     * {@code key} with {@code flag}: {@code answer} gives the future its sender gets as the answer (and may serve the
     * message first, {@link SyncMessage#serveAt}). Every other message is served as usual.
     *
     * @return true once the message was taken, to {@link #await}
     */
    public BooleanSupplier takeFirstSync(
        final UUID from, final long key, final byte flag,
        final Function<SyncMessage, CompletableFuture<SyncBatchReply[]>> answer)
    {
        final AtomicBoolean taken = new AtomicBoolean();
        interceptor((message, sender, to, payload) ->
            message.equals("sync") && sender.equals(from) && ((SyncMessage)payload).carries(key, flag) &&
            taken.compareAndSet(false, true) ? answer.apply((SyncMessage)payload) : null);
        return taken::get;
    }

    /** Records a member's log line among the traffic, as {@code "log <member>: <message>"}. */
    void log(final UUID member, final String message)
    {
        traffic.add("log " + name(member) + ": " + message);
    }

    /** @return every message sent so far, as {@code "<message> <from> -> <to>"} with short member ids */
    public List<String> traffic()
    {
        return new ArrayList<>(traffic);
    }

    /** @return a short, stable name of a member for messages: {@code m1}, {@code m2}, ... */
    public static String name(final UUID member)
    {
        return "m" + member.getLeastSignificantBits();
    }

    int partitionCount()
    {
        return partitionCount;
    }

    UUID partitionOwnerOf(final int partition)
    {
        synchronized (partitionOwners)
        {
            return partitionOwners[partition];
        }
    }

    List<UUID> members()
    {
        return new ArrayList<>(members);
    }

    boolean isMember(final UUID member)
    {
        return members.contains(member);
    }

    /** Sends one message: the interceptor's answer if it gives one, else the target's answer on the network thread. */
    @SuppressWarnings("unchecked")
    <R> CompletableFuture<R> send(
        final String message, final UUID from, final UUID to, final Object payload,
        final java.util.function.Function<MemberRuntime, R> serve)
    {
        if (!isMember(from))
        {
            return CompletableFuture.failedFuture(new IllegalStateException("member " + name(from) + " crashed"));
        }
        traffic.add(message + " " + name(from) + " -> " + name(to));
        final CompletableFuture<?> intercepted = interceptor.intercept(message, from, to, payload);
        if (intercepted != null)
        {
            return (CompletableFuture<R>)intercepted;
        }
        final MemberRuntime target = runtimes.get(to);
        if (target == null || !isMember(to))
        {
            return CompletableFuture.failedFuture(new IllegalStateException("member " + name(to) + " is not here"));
        }
        return CompletableFuture.supplyAsync(() -> serve.apply(target),
            message.equals("checkpoint") ? blockingOperations : network);
    }

    /** Shuts every member runtime down and stops the network thread. */
    @Override
    public void close() throws InterruptedException
    {
        for (final MemberRuntime runtime : runtimes.values())
        {
            runtime.shutdown();
        }
        network.shutdownNow();
        blockingOperations.shutdownNow();
        network.awaitTermination(10, TimeUnit.SECONDS);
        blockingOperations.awaitTermination(10, TimeUnit.SECONDS);
    }
}
