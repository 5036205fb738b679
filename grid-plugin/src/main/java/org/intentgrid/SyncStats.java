package org.intentgrid;

import java.io.Serializable;

/** Statistics of one member's sync task and of the owner decisions it took: an immutable snapshot. */
public final class SyncStats implements Serializable
{
    private static final long serialVersionUID = 1L;
    private final long errors;
    private final long keysVisited;
    private final long rounds;
    private final long messagesSent;
    private final long keysSent;
    private final long bytesSent;
    private final long messagesServed;
    private final long replicateDecisions;
    private final long relocateDecisions;
    private final long trackedKeys;
    private final long deltasInFlight;
    private final long hotLaneKeys;
    private final long hotLanePromotions;
    private final String policy;

    SyncStats(
        final long rounds, final long messagesSent, final long keysSent, final long bytesSent,
        final long messagesServed, final long replicateDecisions, final long relocateDecisions,
        final long trackedKeys, final long deltasInFlight, final long errors, final long keysVisited,
        final long hotLaneKeys, final long hotLanePromotions, final String policy)
    {
        this.hotLaneKeys = hotLaneKeys;
        this.hotLanePromotions = hotLanePromotions;
        this.errors = errors;
        this.keysVisited = keysVisited;
        this.deltasInFlight = deltasInFlight;
        this.rounds = rounds;
        this.messagesSent = messagesSent;
        this.keysSent = keysSent;
        this.bytesSent = bytesSent;
        this.messagesServed = messagesServed;
        this.replicateDecisions = replicateDecisions;
        this.relocateDecisions = relocateDecisions;
        this.trackedKeys = trackedKeys;
        this.policy = policy;
    }

    /**
     * @return keys the member's sync rounds looked at (each under its stripe lock): replicas and placeholders every
     *         round, intended main copies only in a sweep every 250 ms, so a round costs what its replicas need
     */
    public long keysVisited()
    {
        return keysVisited;
    }

    /**
     * @return errors the member's sync task ran into; each went to the member's error handler (Hazelcast's log by
     *         default) and the task carried on
     */
    public long errors()
    {
        return errors;
    }

    /** @return completed sync rounds, summed over channels */
    public long rounds()
    {
        return rounds;
    }

    /** @return sync messages sent */
    public long messagesSent()
    {
        return messagesSent;
    }

    /** @return sync entries (keys) sent */
    public long keysSent()
    {
        return keysSent;
    }

    /** @return payload bytes of sync messages sent */
    public long bytesSent()
    {
        return bytesSent;
    }

    /** @return sync messages served as owner */
    public long messagesServed()
    {
        return messagesServed;
    }

    /** @return refreshes answered by replicating */
    public long replicateDecisions()
    {
        return replicateDecisions;
    }

    /** @return refreshes answered by relocating the main copy */
    public long relocateDecisions()
    {
        return relocateDecisions;
    }

    /** @return keys the sync task tracks (replicas, placeholders, intended main copies) */
    public long trackedKeys()
    {
        return trackedKeys;
    }

    /** @return replica deltas that missed their owner and are being delivered by a remote push */
    public long deltasInFlight()
    {
        return deltasInFlight;
    }

    /**
     * @return replicas the member syncs in its hot lane now: those its workers push to so often that they get small,
     *         frequent rounds of their own ({@code GridConfig.hotLaneKeys})
     */
    public long hotLaneKeys()
    {
        return hotLaneKeys;
    }

    /** @return replicas the hot lane took since the member started (a replica that comes back counts again) */
    public long hotLanePromotions()
    {
        return hotLanePromotions;
    }

    /** @return the policy's own description: mode, per-worker clocks and clock-rate estimates */
    public String policy()
    {
        return policy;
    }

    @Override
    public String toString()
    {
        return String.format("rounds=%d messages=%d keys=%d bytes=%d served=%d replicate=%d relocate=%d tracked=%d " +
            "deltasInFlight=%d errors=%d visited=%d hotLane=%d hotLanePromotions=%d [%s]", rounds, messagesSent,
            keysSent, bytesSent, messagesServed, replicateDecisions, relocateDecisions, trackedKeys, deltasInFlight,
            errors, keysVisited, hotLaneKeys, hotLanePromotions, policy);
    }
}
