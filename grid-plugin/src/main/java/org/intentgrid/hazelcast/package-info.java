/**
 * Not API: the adapter to Hazelcast's internal service API, and the only package that imports
 * {@code com.hazelcast.internal.*} or {@code com.hazelcast.spi.impl.*}. It registers the grid as a drop-in
 * member service, implements {@link org.intentgrid.internal.ClusterPort} over Hazelcast's operation service and
 * partition table, serializes the grid's messages, and moves the home directory with its partitions.
 * <p>
 * Threading: operations run on Hazelcast's threads (home operations on their partition's thread, the others on
 * generic threads); answers complete plain futures on the thread that receives them, never on Hazelcast's
 * default async executor (which starts a thread per task on 2-core machines).
 */
package org.intentgrid.hazelcast;
