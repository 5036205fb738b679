package org.intentgrid;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One member's share of the grid at one moment, as {@code bin/intentgrid stats} shows it: its memory, what its
 * workers accessed and how much of it was local, its sync rounds, its backups and, per table it holds, its main
 * copies, replicas and native memory.
 * <p>
 * {@link #collect} gathers the reports of every member of a cluster from a Hazelcast client or a member: each member
 * reports itself through Hazelcast's executor service {@value #EXECUTOR}, so any member with the plugin answers
 * (with the example configuration's Java serialization filter too: the report's classes are in {@code org.intentgrid}).
 * The same numbers are Hazelcast metrics as well (JMX, Management Center); this needs neither.
 *
 * @param address         the member's address ({@code host:port})
 * @param id              the member's id
 * @param mode            how the member reacts to intents ({@code adaptive}, {@code static}, ...)
 * @param offHeapBytes    native memory its tables and the backups it holds take
 * @param maxOffHeapBytes its cap on that memory, {@link Long#MAX_VALUE} for none
 * @param machineOffHeapLimit the most native memory the members of its JVM may take together (the machine's
 *                        memory less the heap and the reserve), {@link Long#MAX_VALUE} if unknown
 * @param machineAvailableBytes the memory its machine has available for every process on it, {@link Long#MAX_VALUE}
 *                        if unknown
 * @param access          its workers' accesses (live and closed) and what it served and relocated
 * @param sync            its sync rounds and owner decisions
 * @param backups         its backup flushes, the backups it holds and its recoveries
 * @param tables          its share of each table it holds, by table name
 */
public record MemberReport(
    String address, UUID id, String mode, long offHeapBytes, long maxOffHeapBytes, long machineOffHeapLimit,
    long machineAvailableBytes, GridStats access, SyncStats sync, BackupStats backups, List<TableShare> tables)
    implements Serializable
{
    /** The name of the executor service that members report through. */
    public static final String EXECUTOR = "intentgrid-reports";
    private static final long serialVersionUID = 1L;

    /**
     * One table's share of a member.
     *
     * @param table        the table's name
     * @param mainCopies   the table's main copies on the member
     * @param replicas     the table's replicas (and placeholders of replicas on their way) on the member
     * @param offHeapBytes native memory those take on the member
     */
    public record TableShare(String table, long mainCopies, long replicas, long offHeapBytes) implements Serializable
    {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Asks every member of the cluster for its report.
     *
     * @param instance      a Hazelcast client or member of the cluster
     * @param timeoutMillis how long to wait for all the reports, {@code >= 1}
     * @return one report per member, ordered by address; a member that leaves while they are collected is left out
     * @throws IllegalArgumentException if {@code instance} is null or {@code timeoutMillis < 1}
     * @throws IllegalStateException    naming the member, if a member did not report within the timeout or failed to
     *                                  (it does not run the plugin)
     */
    public static List<MemberReport> collect(final HazelcastInstance instance, final long timeoutMillis)
    {
        if (instance == null || timeoutMillis < 1)
        {
            throw new IllegalArgumentException("MemberReport.collect: expected a Hazelcast instance and a timeout " +
                ">= 1 ms, got " + instance + " and " + timeoutMillis);
        }
        final Map<Member, Future<MemberReport>> pending =
            instance.getExecutorService(EXECUTOR).submitToAllMembers(new Reporter());
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        final List<MemberReport> reports = new ArrayList<>();
        for (final Map.Entry<Member, Future<MemberReport>> entry : pending.entrySet())
        {
            final String member = entry.getKey().getAddress().toString();
            try
            {
                reports.add(entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            catch (final ExecutionException e)
            {
                if (isGone(e.getCause()))
                {
                    // it left after the member list was read: the report is of the members there are
                    continue;
                }
                throw new IllegalStateException("member " + member + " did not report: " + e.getCause() +
                    "; expected a member with the intentgrid plugin on its classpath", e.getCause());
            }
            catch (final TimeoutException e)
            {
                throw new IllegalStateException("member " + member + " did not report within " + timeoutMillis +
                    " ms", e);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the report of member " + member, e);
            }
        }
        reports.sort(Comparator.comparing(MemberReport::address));
        return reports;
    }

    /** @return true if a call failed because its member left (or was leaving) the cluster */
    private static boolean isGone(final Throwable failure)
    {
        return failure instanceof MemberLeftException || failure instanceof TargetNotMemberException ||
            failure instanceof TargetDisconnectedException || failure instanceof HazelcastInstanceNotActiveException;
    }

    /** Runs on each member: the member's report. */
    private static final class Reporter implements Callable<MemberReport>, Serializable, HazelcastInstanceAware
    {
        private static final long serialVersionUID = 1L;

        private transient HazelcastInstance instance;

        @Override
        public void setHazelcastInstance(final HazelcastInstance instance)
        {
            this.instance = instance;
        }

        @Override
        public MemberReport call()
        {
            final GridMember member = GridMember.of(instance);
            final Member self = instance.getCluster().getLocalMember();
            return new MemberReport(self.getAddress().getHost() + ":" + self.getAddress().getPort(), member.id(),
                member.mode().label(), member.offHeapBytes(), member.maxOffHeapBytes(), member.machineOffHeapLimit(),
                member.machineAvailableBytes(), member.stats(), member.syncStats(), member.backupStats(),
                member.tableShares());
        }
    }
}
