package org.intentgrid.internal;

/**
 * Observes changes of main-copy ownership in a member's store, for tracing and for tests that check
 * the single-main-copy invariant.
 * <p>
 * Called while the key's stripe lock is held: implementations must be fast and must not call back
 * into the grid.
 */
public interface StoreListener
{
    /** Does nothing. */
    StoreListener NONE = new StoreListener()
    {
        @Override
        public void mainAcquired(final String table, final long key, final String member)
        {
        }

        @Override
        public void mainReleased(final String table, final long key, final String member)
        {
        }
    };

    /**
     * The member now holds the main copy of the key (materialized, relocated in, or adopted).
     *
     * @param table  table name
     * @param key    the key
     * @param member the member's UUID as a string
     */
    void mainAcquired(String table, long key, String member);

    /**
     * The member no longer holds the main copy (relocated or handed away). Called before the value
     * leaves the member, so for any key a release is observed before the matching acquire elsewhere.
     *
     * @param table  table name
     * @param key    the key
     * @param member the member's UUID as a string
     */
    void mainReleased(String table, long key, String member);

    /** A placeholder received its first refresh and became a usable replica. */
    default void replicaSetUp(final String table, final long key, final String member)
    {
    }

    /** A replica was removed (its intents ended and its last delta was merged). */
    default void replicaDropped(final String table, final long key, final String member)
    {
    }

    /** Local workers started intending the key (the first active intent on this member). */
    default void intentStarted(final String table, final long key, final String member)
    {
    }

    /** The last local intent for the key ended. */
    default void intentEnded(final String table, final long key, final String member)
    {
    }
}
