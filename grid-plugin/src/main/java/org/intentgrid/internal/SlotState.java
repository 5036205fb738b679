package org.intentgrid.internal;

/**
 * What a member holds of one key: the states of a slot in its {@link TableStore}, and the protocol steps
 * that move a slot between them. Every transition happens under the key's stripe lock.
 * <pre>
 * from        | to          | step (class.method)
 * ------------+-------------+-----------------------------------------------------------------------
 * ABSENT      | MAIN        | first touch at the home (TableStore.materialize); relocation in
 *             |             | (TableStore.install: localize answer, relocate decision, adopt)
 * ABSENT      | PLACEHOLDER | an intent became due (TableStore.registerIntent)
 * PLACEHOLDER | REPLICA     | first refresh, or a remote pull/set answer (TableStore.refresh)
 * PLACEHOLDER | MAIN        | relocated here (install) or materialized here
 * PLACEHOLDER | ABSENT      | no local intent left (TableStore.syncStep)
 * REPLICA     | MAIN        | relocated here; local updates not shipped yet are kept (install)
 * REPLICA     | ABSENT      | no local intent left and no delta to ship (syncStep), or the owner
 *             |             | acknowledged the last delta (TableStore.confirmDrop)
 * MAIN        | PLACEHOLDER | relocated away while local workers still intend it (TableStore.take)
 * MAIN        | ABSENT      | relocated or handed away, no local intent (TableStore.take)
 * </pre>
 * There is no "stale replica" state: a replica that may be behind a value its member already saw through a
 * remote answer keeps serving, and refreshes older than that value are ignored instead (the member's
 * minimum version of the key), so reads never go back in time.
 */
public enum SlotState
{
    /** No local copy; the stripe may still keep a route hint for the key. Never stored in a slot. */
    ABSENT,
    /** The authoritative copy of the key. */
    MAIN,
    /** A usable copy of a key owned elsewhere, kept while local workers intend to use it. */
    REPLICA,
    /** A copy requested for an intent but not yet set up by its first refresh: not usable. */
    PLACEHOLDER
}
