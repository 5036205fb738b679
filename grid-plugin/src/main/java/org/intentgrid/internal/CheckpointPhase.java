package org.intentgrid.internal;

/**
 * What a member does for a checkpoint or a rollback coordinated by another member (see
 * {@link ClusterPort#checkpoint}).
 */
public enum CheckpointPhase
{
    /**
     * Merge the replicas' updates into their main copies (two completed sync rounds), after the updates of lost
     * members that were not confirmed backed up were sent again and answered.
     */
    SYNC,
    /** Write the main copies held here, one part file per table. */
    WRITE,
    /** Set every main copy held here to its table's initial value (the first step of a rollback). */
    RESET;

    private static final CheckpointPhase[] VALUES = values();

    /** @return the phase of {@link #ordinal()} {@code ordinal}, as read from the wire */
    public static CheckpointPhase of(final int ordinal)
    {
        if (ordinal < 0 || ordinal >= VALUES.length)
        {
            throw new IllegalArgumentException("no checkpoint phase " + ordinal + "; expected 0.." +
                (VALUES.length - 1));
        }
        return VALUES[ordinal];
    }
}
