package org.intentgrid.internal;

import org.agrona.collections.LongHashSet;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Which of a lost owner's unconfirmed updates ({@link UnconfirmedUpdates}) the cluster's values hold already, asked
 * of every member before they are sent again. An update is known applied where its fingerprint
 * ({@link AppliedRequests}) is: at the owner's backup holder once a flush carried it (the holder keeps a lost origin's
 * fingerprints a while after it took over or freed its backups, {@link BackupStore}), and at a member that merged them
 * into its own when it recovered the owner's keys. Such an update is in its key's value wherever the key is now:
 * recovered from that backup, or moved on from the owner after it applied the update (a relocation, or an adoption
 * from an owner that left and whose LEFT did not reach this member). Before, every unconfirmed update went out again,
 * and one whose key had moved on was counted twice: the member holding the key now had never seen its fingerprint.
 * <p>
 * A member that does not answer within the request timeout counts as knowing none: its updates go out again, as
 * before. Thread-safe.
 */
final class KnownUpdates
{
    private final ClusterPort port;
    private final AppliedRequests applied;
    private final BackupStore backups;
    private final long timeoutMillis;

    KnownUpdates(final ClusterPort port, final AppliedRequests applied, final BackupStore backups,
        final long timeoutMillis)
    {
        this.port = port;
        this.applied = applied;
        this.backups = backups;
        this.timeoutMillis = timeoutMillis;
    }

    /** Serves {@link RequestKind#APPLIED}: status SERVED for each fingerprint in {@code keys} known here. */
    DataReply serve(final DataRequest request)
    {
        final long[] fingerprints = request.keys;
        final byte[] status = new byte[fingerprints.length];
        for (int i = 0; i < fingerprints.length; i++)
        {
            status[i] = knowsHere(fingerprints[i]) ? DataReply.SERVED : DataReply.MISS;
        }
        return new DataReply(status, null, null, null, null);
    }

    private boolean knowsHere(final long fingerprint)
    {
        return applied.contains(fingerprint) || backups.knows(fingerprint);
    }

    /**
     * Asks this member and every other one which of {@code fingerprints}, of updates {@code lost} answered, it knows
     * applied.
     *
     * @return completes, never exceptionally, with the fingerprints some member knows
     */
    CompletableFuture<LongHashSet> ask(final UUID lost, final long[] fingerprints)
    {
        final LongHashSet known = new LongHashSet();
        for (final long fingerprint : fingerprints)
        {
            if (knowsHere(fingerprint))
            {
                known.add(fingerprint);
            }
        }
        final DataRequest question = new DataRequest(null, RequestKind.APPLIED, fingerprints, null, null, lost);
        final List<CompletableFuture<DataReply>> answers = new ArrayList<>();
        for (final UUID member : port.members())
        {
            if (!member.equals(port.localMember()) && !member.equals(lost))
            {
                answers.add(port.direct(member, question).exceptionally(silent -> null)
                    .completeOnTimeout(null, timeoutMillis, TimeUnit.MILLISECONDS));
            }
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(all ->
        {
            for (final CompletableFuture<DataReply> answer : answers)
            {
                addKnown(answer.join(), fingerprints, known);
            }
            return known;
        });
    }

    private static void addKnown(final DataReply reply, final long[] fingerprints, final LongHashSet known)
    {
        if (reply == null || reply.status.length != fingerprints.length)
        {
            return;
        }
        for (int i = 0; i < fingerprints.length; i++)
        {
            if (reply.status[i] == DataReply.SERVED)
            {
                known.add(fingerprints[i]);
            }
        }
    }
}
