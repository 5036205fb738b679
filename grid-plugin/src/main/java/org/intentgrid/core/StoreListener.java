package org.intentgrid.core;

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
}
