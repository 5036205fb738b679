/**
 * Not API: the grid's mechanism, one class per protocol role. Nothing here is meant to be called by
 * applications, and nothing here validates its input; the public types of {@code org.intentgrid} do, and no
 * public signature there mentions a type of this package. Classes are public only where the Hazelcast adapter
 * ({@code org.intentgrid.hazelcast}) or the public API must reach them.
 * <p>
 * Composition root: {@link org.intentgrid.internal.MemberRuntime}. Roles: {@code Router} (where keys live, the
 * retry policy), {@code DataServer} (serving other members' data requests), {@code HomeDirectoryServer} (first
 * touch, ownership records and their backups), {@code SyncServer} (the owner's side of sync rounds),
 * {@code SyncManager} (this member's sync rounds), {@code HandOff} (graceful leave), {@code NoticeSender}
 * (telling homes about new owners), {@link org.intentgrid.internal.WorkerEngine} (one worker's local/remote
 * engine). Storage: {@link org.intentgrid.internal.TableStore} with its lock {@code Stripe}s and its
 * {@code ReplicaStore}; slot states in {@link org.intentgrid.internal.SlotState}.
 * <p>
 * Threading: worker threads run the local path (one stripe lock per key step, optimistic lock-free pulls);
 * Hazelcast's partition threads serve home requests (the only writers of the home directory), its generic
 * threads serve direct and sync requests; each member has one sync thread and two I/O threads that complete
 * remote requests. Every per-key step runs under that key's stripe lock and never takes a second lock.
 */
package org.intentgrid.internal;
