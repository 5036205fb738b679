package org.intentgrid.internal;

/**
 * Where the versions of a new lineage of main copies start. A main copy's version counts its updates, and a replica
 * takes a refresh only if it is newer than the version it holds. A main copy recovered from a lost member's backup,
 * or started again from its initializer because its owner was lost without one, continues a key whose lost copy may
 * have counted more updates than survived: if it went on from the surviving version, replicas refreshed from the lost
 * copy would take none of its values until as many updates had come again, and served the lost ones meanwhile. So a
 * new lineage starts at the cluster time in milliseconds shifted left by {@link #SHIFT} bits, above every version an
 * earlier lineage reached unless that one counted a million updates per millisecond of its life. Every main copy a
 * home creates starts one: once the lost member's directory entries are gone, a home cannot tell a first touch from
 * a key that had a predecessor. Fits a long until the year 2248.
 */
final class Lineages
{
    /** Bits of a version below the lineage's start time: room for 2^20 updates per millisecond. */
    static final int SHIFT = 20;

    private Lineages()
    {
    }

    /**
     * @param port          the cluster, for its time
     * @param versionBefore the version that survived of the lost lineage (in a backup), or 0 if none survived or
     *                      there was none
     * @return the first version of a new lineage: above {@code versionBefore} and above what the lost one reached
     */
    static long start(final ClusterPort port, final long versionBefore)
    {
        return Math.max(versionBefore + 1, port.clusterTimeMillis() << SHIFT);
    }
}
