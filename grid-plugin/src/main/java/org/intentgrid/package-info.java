/**
 * The public API of intentgrid: a parameter grid on Hazelcast members whose training workers signal which
 * parameters they will access, so that the grid makes those accesses local.
 * <p>
 * Start with {@link org.intentgrid.ParameterGrid} (embedded members, or a running member with the plugin jar),
 * declare tables with {@link org.intentgrid.TableSpec}, and access them through one
 * {@link org.intentgrid.ParameterWorker} per application thread. Settings are {@link org.intentgrid.GridConfig}
 * (also readable from Hazelcast config properties).
 * <p>
 * Threading: {@code ParameterGrid}, {@code GridMember} and {@code Table} may be shared by any threads; a
 * {@code ParameterWorker} belongs to one thread at a time. Every call validates its input before it changes
 * anything. Nothing here exposes a type of the {@code internal} or {@code hazelcast} packages.
 */
package org.intentgrid;
