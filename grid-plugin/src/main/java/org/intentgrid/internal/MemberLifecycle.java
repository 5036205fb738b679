package org.intentgrid.internal;

/**
 * The life of one member's grid runtime, as an explicit state machine.
 * <pre>
 * state     | serves requests | materializes, adopts | next states
 * ----------+-----------------+----------------------+--------------------
 * RUNNING   | yes             | yes                  | LEAVING, STOPPED
 * LEAVING   | yes (what it    | no: new main copies  | STOPPED
 *           | still holds)    | belong elsewhere     |
 * STOPPED   | no              | no                   | (final)
 * </pre>
 * <ol>
 *     <li>RUNNING from creation: Hazelcast starts the service before the member joins, so no grid message
 *     reaches it earlier.</li>
 *     <li>LEAVING when the member starts shutting down: its main copies are handed off while it still answers
 *     for them, and it refuses to become the owner of anything.</li>
 *     <li>STOPPED when the service shuts down: background threads end.</li>
 * </ol>
 */
final class MemberLifecycle
{
    /** One state of the table above. */
    enum State
    {
        RUNNING,
        LEAVING,
        STOPPED
    }

    private volatile State state = State.RUNNING;

    /** @return true while this member may create or take over main copies */
    boolean acceptsMainCopies()
    {
        return state == State.RUNNING;
    }

    /** @return true once the service shut down: its threads no longer take work */
    boolean stopped()
    {
        return state == State.STOPPED;
    }

    /** RUNNING to LEAVING; a member that is leaving or stopped stays as it is. */
    synchronized void beginLeave()
    {
        if (state == State.RUNNING)
        {
            state = State.LEAVING;
        }
    }

    /** Any state to STOPPED. */
    synchronized void stop()
    {
        state = State.STOPPED;
    }
}
