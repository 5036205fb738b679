package org.intentgrid;

import java.io.Serializable;

/**
 * Access statistics of a worker, a member or a whole grid: an immutable snapshot.
 * <p>
 * Byte counts are payload bytes (keys, values, counters) of the grid's own messages, not of Hazelcast's
 * framing.
 */
public final class GridStats implements Serializable
{
    private static final long serialVersionUID = 1L;
    /** All counters zero. */
    public static final GridStats ZERO = new GridStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private final long keysPulled;
    private final long keysPushed;
    private final long keysSet;
    private final long keysLocalized;
    private final long keysLocal;
    private final long keysFromReplica;
    private final long remoteOps;
    private final long bytesSent;
    private final long bytesReceived;
    private final long relocationsIn;
    private final long relocationsOut;
    private final long keysServedForOthers;

    /** Creates a snapshot; see the accessors for the meaning of each counter. */
    public GridStats(
        final long keysPulled, final long keysPushed, final long keysSet, final long keysLocalized,
        final long keysLocal, final long keysFromReplica, final long remoteOps, final long bytesSent,
        final long bytesReceived,
        final long relocationsIn, final long relocationsOut, final long keysServedForOthers)
    {
        this.keysPulled = keysPulled;
        this.keysPushed = keysPushed;
        this.keysSet = keysSet;
        this.keysLocalized = keysLocalized;
        this.keysLocal = keysLocal;
        this.keysFromReplica = keysFromReplica;
        this.remoteOps = remoteOps;
        this.bytesSent = bytesSent;
        this.bytesReceived = bytesReceived;
        this.relocationsIn = relocationsIn;
        this.relocationsOut = relocationsOut;
        this.keysServedForOthers = keysServedForOthers;
    }

    /** @return keys pulled */
    public long keysPulled()
    {
        return keysPulled;
    }

    /** @return keys pushed */
    public long keysPushed()
    {
        return keysPushed;
    }

    /** @return keys set */
    public long keysSet()
    {
        return keysSet;
    }

    /** @return keys passed to localize */
    public long keysLocalized()
    {
        return keysLocalized;
    }

    /** @return keys of pull, push and set served from the member's own store inside the call */
    public long keysLocal()
    {
        return keysLocal;
    }

    /** @return of {@link #keysLocal()}, keys served by a local replica of a key owned elsewhere */
    public long keysFromReplica()
    {
        return keysFromReplica;
    }

    /** @return share of pull, push and set keys served by replicas, 0.0 when nothing was accessed */
    public double replicaShare()
    {
        final long accessed = keysAccessed();
        return accessed == 0 ? 0.0 : (double)keysFromReplica / accessed;
    }

    /** @return keys of pull, push and set that went to another member */
    public long keysRemote()
    {
        return keysAccessed() - keysLocal;
    }

    /** @return keys of pull, push and set */
    public long keysAccessed()
    {
        return keysPulled + keysPushed + keysSet;
    }

    /** @return share of pull, push and set keys served locally, 1.0 when nothing was accessed */
    public double localShare()
    {
        final long accessed = keysAccessed();
        return accessed == 0 ? 1.0 : (double)keysLocal / accessed;
    }

    /** @return network operations sent (one per destination member per request round) */
    public long remoteOps()
    {
        return remoteOps;
    }

    /** @return payload bytes sent */
    public long bytesSent()
    {
        return bytesSent;
    }

    /** @return payload bytes received */
    public long bytesReceived()
    {
        return bytesReceived;
    }

    /** @return main copies that moved to this member */
    public long relocationsIn()
    {
        return relocationsIn;
    }

    /** @return main copies that moved away from this member */
    public long relocationsOut()
    {
        return relocationsOut;
    }

    /** @return keys of other members' requests served by this member */
    public long keysServedForOthers()
    {
        return keysServedForOthers;
    }

    /** @return the sum of both snapshots */
    public GridStats plus(final GridStats o)
    {
        return new GridStats(keysPulled + o.keysPulled, keysPushed + o.keysPushed, keysSet + o.keysSet,
            keysLocalized + o.keysLocalized, keysLocal + o.keysLocal, keysFromReplica + o.keysFromReplica,
            remoteOps + o.remoteOps,
            bytesSent + o.bytesSent, bytesReceived + o.bytesReceived, relocationsIn + o.relocationsIn,
            relocationsOut + o.relocationsOut, keysServedForOthers + o.keysServedForOthers);
    }

    @Override
    public String toString()
    {
        return String.format(
            "pulled=%d pushed=%d set=%d localized=%d local=%.2f%% (replica %.2f%%) remoteOps=%d sent=%dB " +
            "received=%dB relocIn=%d relocOut=%d servedForOthers=%d",
            keysPulled, keysPushed, keysSet, keysLocalized, 100 * localShare(), 100 * replicaShare(), remoteOps,
            bytesSent, bytesReceived,
            relocationsIn, relocationsOut, keysServedForOthers);
    }
}
