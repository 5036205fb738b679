package org.intentgrid.internal;

/**
 * The clocks of a member's workers, as the store needs them to tell active intents from expired ones and brief
 * intents from lasting ones.
 */
interface WorkerClocks
{
    /** @return the clock of worker {@code worker}, {@link Long#MAX_VALUE} once it finished */
    long clock(int worker);

    /** @return how many clocks ahead of its clock the intents of {@code worker} are acted on now (0: not timed) */
    long actionWindow(int worker);
}
