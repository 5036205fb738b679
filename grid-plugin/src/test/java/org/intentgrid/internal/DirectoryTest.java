package org.intentgrid.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The home directory takes an ownership record only if its relocation counter is newer. */
class DirectoryTest
{
    private static final UUID A = new UUID(0, 1);
    private static final UUID B = new UUID(0, 2);
    private static final UUID C = new UUID(0, 3);

    @Test
    void acceptsOnlyNewerRelocationCounters()
    {
        final Directory directory = new Directory(4);
        assertNull(directory.get(1, "t", 7));
        assertTrue(directory.putIfNewer(1, "t", 7, A, 0), "first record");
        assertTrue(directory.putIfNewer(1, "t", 7, C, 2), "newer counter");
        assertFalse(directory.putIfNewer(1, "t", 7, B, 1), "a notice that was overtaken");
        assertFalse(directory.putIfNewer(1, "t", 7, B, 2), "the same counter again");
        assertEquals(C, directory.get(1, "t", 7).owner());
        assertEquals(2, directory.get(1, "t", 7).counter());
        assertNull(directory.get(1, "other", 7), "tables are apart");
        assertNull(directory.get(2, "t", 7), "partitions are apart");
    }

    @Test
    void aFirstTouchRecordsItsMemberOnlyWhereNoEntryExists()
    {
        final Directory directory = new Directory(4);
        directory.putIfNewer(1, "t", 3, B, 0);
        directory.putIfNewer(1, "t", 4, C, 2);
        assertNull(directory.recordFirst(1, "t", 7, A), "no entry: recorded");
        assertEquals(A, directory.get(1, "t", 7).owner());
        assertEquals(0, directory.get(1, "t", 7).counter());
        assertEquals(A, directory.recordFirst(1, "t", 7, A).owner(), "recorded already");
        assertEquals(B, directory.recordFirst(1, "t", 3, A).owner(), "another member created it");
        assertEquals(C, directory.recordFirst(1, "t", 4, A).owner(), "it moved");
        assertEquals(2, directory.recordFirst(1, "t", 4, A).counter());
        assertEquals(B, directory.get(1, "t", 3).owner(), "an entry found is left as it was");

        directory.forgetFirst(1, "t", 7, A);
        assertNull(directory.get(1, "t", 7), "taken back: the member had no room for the key");
        assertEquals(2, directory.count(1, "t"), "keys 3 and 4");
        assertNull(directory.recordFirst(1, "t", 7, A), "a later first touch records it again");

        directory.dropTable("t");
        assertNull(directory.recordFirst(1, "t", 8, A));
        assertNull(directory.get(1, "t", 8), "a dropped table records nothing");
    }

    @Test
    void backupsAndMigrationsApplyOnlyNewerEntries()
    {
        final Directory directory = new Directory(4);
        directory.putIfNewer(0, "t", 1, A, 5);
        directory.apply(0, new DirectoryChunk("t", new long[] {1, 2}, new UUID[] {B, B}, new long[] {4, 0}));
        assertEquals(A, directory.get(0, "t", 1).owner(), "older backup entry ignored");
        assertEquals(B, directory.get(0, "t", 2).owner(), "unknown key taken");
        final List<DirectoryChunk> snapshot = directory.snapshot(0);
        assertEquals(1, snapshot.size());
        assertEquals(2, snapshot.get(0).keys.length);
        directory.replace(3, snapshot, new UUID[0]);
        assertEquals(A, directory.get(3, "t", 1).owner());
        directory.clear(0);
        assertNull(directory.get(0, "t", 1));
    }

    @Test
    void aReplicatedPartitionTellsAMemberThatJoinedAfterALossWhichOwnersWereLost()
    {
        // the sender heard that B was lost and recovered; the receiver joined after that announcement, and got
        // partition 1 from a member that had not heard of it yet
        final Directory sender = new Directory(4);
        sender.putIfNewer(0, "t", 1, A, 0);
        sender.putIfNewer(0, "t", 2, B, 0);
        sender.ownerLost(B);
        final Directory joined = new Directory(4);
        joined.replace(1, List.of(new DirectoryChunk("t", new long[] {5}, new UUID[] {B}, new long[] {3})),
            new UUID[0]);
        assertEquals(B, joined.get(1, "t", 5).owner());

        joined.replace(0, sender.snapshot(0), sender.lostOwners());

        assertTrue(joined.isLost(B));
        assertNull(joined.get(1, "t", 5), "an entry naming the lost member, from another partition's sender");
        assertEquals(A, joined.get(0, "t", 1).owner());
        assertNull(joined.get(0, "t", 2));
        joined.apply(2, new DirectoryChunk("t", new long[] {9}, new UUID[] {B}, new long[] {0}));
        assertNull(joined.get(2, "t", 9), "a late backup naming the lost member");
    }

    @Test
    void noticesAtTheHomeRecordOnlyNewerOwnersAndReportTheChangesForBackup() throws Exception
    {
        try (InMemoryCluster cluster = new InMemoryCluster(4))
        {
            final MemberRuntime home = cluster.addMember(org.intentgrid.GridConfig.embedded());
            final org.intentgrid.TableSpec spec = org.intentgrid.TableSpec.of("t", 100, 2);
            final DataReply first = home.serveAtHome(0,
                new DataRequest(spec, RequestKind.NOTICE, new long[] {5}, null, new long[] {3}, A), A);
            assertEquals(1, first.directoryChanges().keys.length, "the change goes to the backups");
            final DataReply stale = home.serveAtHome(0,
                new DataRequest(spec, RequestKind.NOTICE, new long[] {5}, null, new long[] {2}, B), B);
            assertNull(stale.directoryChanges(), "an overtaken notice changes nothing");
            assertEquals(A, home.directorySnapshot(0).get(0).owners[0]);
        }
    }
}
