package org.intentgrid.internal;

/**
 * A snapshot of what a member did beyond its workers' own accesses: as owner and home, and as sync requester.
 *
 * @param relocationsIn       keys whose main copy moved to this member
 * @param relocationsOut      keys whose main copy moved away from this member
 * @param keysServedForOthers keys of other members' requests served by this member's store
 * @param messagesServed      sync messages served as owner
 * @param replicateDecisions  refreshes answered by keeping the main copy
 * @param relocateDecisions   refreshes answered by handing the main copy over
 * @param rounds              completed sync rounds, summed over channels
 * @param messagesSent        sync messages sent
 * @param keysSent            sync entries (keys) sent
 * @param bytesSent           payload bytes of sync messages sent
 * @param trackedKeys         keys the sync channels track (racy)
 * @param deltasInFlight      replica deltas being delivered by a remote push
 * @param syncErrors          errors of the sync agent
 * @param keysVisited         keys that sync rounds and sweeps looked at under their stripe locks
 * @param hotLaneKeys         replicas in the sync task's hot lane now (racy)
 * @param hotLanePromotions   replicas the hot lane took since the member started
 */
public record MemberStats(
    long relocationsIn, long relocationsOut, long keysServedForOthers, long messagesServed,
    long replicateDecisions, long relocateDecisions, long rounds, long messagesSent, long keysSent, long bytesSent,
    long trackedKeys, long deltasInFlight, long syncErrors, long keysVisited, long hotLaneKeys,
    long hotLanePromotions)
{
}
