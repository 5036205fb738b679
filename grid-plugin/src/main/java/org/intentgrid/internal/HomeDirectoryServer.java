package org.intentgrid.internal;


import org.intentgrid.OffHeapExhaustedException;
import java.util.List;
import java.util.UUID;

/**
 * The home side of ownership: this member's share of the home directory, the first touch of keys whose home
 * is here, ownership notices from members that took a key over, and the directory's backups and migrations.
 * <p>
 * Threading: {@link #resolveAtHome}, {@link #recordMove} and {@link #notice} run on the key's partition thread
 * at the partition owner, which makes them the only writers of a partition's entries; backup and migration
 * calls run on Hazelcast's threads for that partition too. Other threads read entries through the {@link Router}.
 */
final class HomeDirectoryServer
{
    private final Directory directory;
    private final Router router;
    private final MemberLifecycle lifecycle;

    HomeDirectoryServer(final Directory directory, final Router router, final MemberLifecycle lifecycle)
    {
        this.directory = directory;
        this.router = router;
        this.lifecycle = lifecycle;
    }

    /**
     * A request reached the home partition of a key that this member does not hold: creates the main copy here
     * if no member ever did (and this member is not leaving), else answers where to look.
     * Caller holds the key's stripe lock.
     *
     * @param existing the key's slot here (a replica or placeholder, to become the main copy), or {@code -1}
     * @return the slot of the new main copy, or {@code -1} if {@code reply} was told to look elsewhere or wait
     */
    int resolveAtHome(
        final int partition, final TableStore table, final Stripe stripe, final long key, final int existing,
        final DataReply reply, final int index, final DirectoryChanges changes)
    {
        final UUID self = router.self();
        final String id = table.spec().id();
        final boolean accepts = lifecycle.acceptsMainCopies();
        // the common first touch records itself in the look-up that finds no entry, and takes the entry back if the
        // key cannot be created; a thread that reads the entry meanwhile (routing, GridMember.directoryOwner) sees this
        // member, where a request for the key waits for its stripe lock, held by the caller until the key exists or
        // the entry is gone
        final Directory.Entry entry = accepts ? directory.recordFirst(partition, id, key, self) :
            directory.get(partition, id, key);
        if (entry == null && accepts)
        {
            final int slot = materialize(table, stripe, key, existing, 0, reply, index, changes);
            if (slot < 0)
            {
                directory.forgetFirst(partition, id, key, self);
            }
            return slot;
        }
        if (entry != null && directory.isLost(entry.owner()) && accepts)
        {
            // a key whose owner was lost without a backup of it starts again from its initializer, as a newer owner
            final int slot = materialize(table, stripe, key, existing, entry.counter() + 1, reply, index, changes);
            if (slot >= 0)
            {
                directory.putIfNewer(partition, id, key, self, entry.counter() + 1);
            }
            return slot;
        }
        if (entry != null && !entry.owner().equals(self))
        {
            reply.miss(index, entry.owner());
            return -1;
        }
        final int hint = stripe.hint(key);
        if (hint >= 0)
        {
            reply.miss(index, router.peer(hint));
        }
        else
        {
            reply.status[index] = DataReply.WAIT;
        }
        return -1;
    }

    /** @return the new main copy's slot, or {@code -1} if this member has no room for it ({@code reply} says so) */
    private int materialize(
        final TableStore table, final Stripe stripe, final long key, final int existing, final long counter,
        final DataReply reply, final int index, final DirectoryChanges changes)
    {
        final int slot;
        try
        {
            // a key whose entry the directory dropped (its owner was lost without a backup of it) looks like a first
            // touch, and its replicas elsewhere may hold versions of the lost copy
            slot = table.materialize(stripe, key, existing, counter, Lineages.start(router.port(), 0));
        }
        catch (final OffHeapExhaustedException e)
        {
            reply.full(index, e.getMessage());
            return -1;
        }
        changes.add(key, router.self(), counter);
        return slot;
    }

    /** Records at the home that the main copy of a key moved to {@code owner} with {@code counter}. */
    void recordMove(
        final int partition, final String table, final long key, final UUID owner, final long counter,
        final DirectoryChanges changes)
    {
        if (directory.putIfNewer(partition, table, key, owner, counter))
        {
            changes.add(key, owner, counter);
        }
    }

    /** Serves ownership notices: records each newer ownership of the request's subject. */
    DataReply notice(final int partition, final DataRequest request)
    {
        final int n = request.keys.length;
        final DirectoryChanges changes = new DirectoryChanges(request.spec.id());
        for (int i = 0; i < n; i++)
        {
            recordMove(partition, request.spec.id(), request.keys[i], request.subject, request.counters[i], changes);
        }
        final DataReply reply = new DataReply(new byte[n], null, null, null, null);
        reply.directoryChanges = changes.toChunkOrNull();
        return reply;
    }

    /**
     * Serves the claims of a member that holds backups of a lost member: a key goes to the claimant with the next
     * counter (granted) if the directory records it at the lost member, or records an older ownership than the
     * backup's (a move to the lost member that this directory never heard of: its record died with a home that
     * crashed before backing it up), or records nothing; any other key stays as it is (refused). The claimant has
     * already made sure that no survivor holds the key.
     *
     * @return per key {@link DataReply#SERVED} with the granted counter, or {@link DataReply#MISS}
     */
    DataReply claim(final int partition, final DataRequest request, final UUID claimant)
    {
        final int n = request.keys.length;
        final String table = request.spec.id();
        final DataReply reply = new DataReply(new byte[n], null, new long[n], null, null);
        final DirectoryChanges changes = new DirectoryChanges(table);
        for (int i = 0; i < n; i++)
        {
            final long key = request.keys[i];
            final Directory.Entry entry = directory.get(partition, table, key);
            final long backupCounter = request.counters[i];
            if (entry == null || entry.owner().equals(request.subject) || entry.counter() < backupCounter)
            {
                final long counter = Math.max(entry == null ? 0 : entry.counter(), backupCounter) + 1;
                recordMove(partition, table, key, claimant, counter, changes);
                reply.counters[i] = counter;
            }
            else
            {
                reply.status[i] = DataReply.MISS;
            }
        }
        reply.directoryChanges = changes.toChunkOrNull();
        return reply;
    }

    /** Entries naming {@code member} are void from now on: its keys without a backup are created afresh. */
    void ownerLost(final UUID member)
    {
        directory.ownerLost(member);
    }

    /** Applies directory entries sent by a partition owner to this backup. */
    void applyBackup(final int partition, final DirectoryChunk chunk)
    {
        directory.apply(partition, chunk);
    }

    /** @return all entries of a partition, one chunk per table, for a replication operation */
    List<DirectoryChunk> snapshot(final int partition)
    {
        return directory.snapshot(partition);
    }

    /** @return the members whose entries are void here, sent along with a partition's entries */
    UUID[] lostOwners()
    {
        return directory.lostOwners();
    }

    /** Replaces a partition's entries with migrated ones; voids entries naming {@code lostOwners} everywhere. */
    void replace(final int partition, final List<DirectoryChunk> chunks, final UUID[] lostOwners)
    {
        directory.replace(partition, chunks, lostOwners);
    }

    /** Drops a partition's entries (it migrated away, or a migration to here was rolled back). */
    void clear(final int partition)
    {
        directory.clear(partition);
    }
}
