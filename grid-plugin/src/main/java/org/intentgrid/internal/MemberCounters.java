package org.intentgrid.internal;

import java.util.concurrent.atomic.AtomicLong;

/** What a member did for others, counted by the role classes that do it; any thread updates, any reads. */
final class MemberCounters
{
    /** Keys whose main copy moved to this member. */
    final AtomicLong relocationsIn = new AtomicLong();
    /** Keys whose main copy moved away from this member. */
    final AtomicLong relocationsOut = new AtomicLong();
    /** Keys of other members' requests served by this member's store. */
    final AtomicLong keysServedForOthers = new AtomicLong();
    /** Refreshes this member answered as owner by keeping the main copy (the requester gets a replica). */
    final AtomicLong replicateDecisions = new AtomicLong();
    /** Refreshes this member answered as owner by handing the main copy over. */
    final AtomicLong relocateDecisions = new AtomicLong();
    /** Sync messages this member served as owner. */
    final AtomicLong syncMessagesServed = new AtomicLong();
}
