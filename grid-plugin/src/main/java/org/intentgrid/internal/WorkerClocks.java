package org.intentgrid.internal;

/** The clocks of a member's workers, as the store needs them to tell active intents from expired ones. */
@FunctionalInterface
interface WorkerClocks
{
    /** @return the clock of worker {@code worker}, {@link Long#MAX_VALUE} once it finished */
    long clock(int worker);
}
