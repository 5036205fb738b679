package org.intentgrid.internal;

import org.intentgrid.GridConfig;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The owner's answer to sync entries in adaptive mode, served directly (no network): a key that no member asks to
 * refresh stays where it is, a key that only the requester wants moves to it, and a key that another member (or
 * the owner's own workers) wants too is replicated.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OwnerDecisionTest
{
    private static final TableSpec SPEC = TableSpec.of("decide", 100, 2);
    private static final UUID REQUESTER = new UUID(9, 1);
    private static final UUID OTHER = new UUID(9, 2);
    /** Ids of the sync messages the test answers by hand: each answer is a message of its own. */
    private long messageId;

    private InMemoryCluster cluster;
    private MemberRuntime owner;
    private WorkerEngine ownerWorker;
    private TableStore store;

    @BeforeEach
    void start()
    {
        cluster = new InMemoryCluster(4);
        owner = cluster.addMember(GridConfig.embedded().mode(Mode.ADAPTIVE).actImmediately(true));
        ownerWorker = owner.newWorker();
        store = ownerWorker.store(SPEC);
    }

    @AfterEach
    void stop() throws Exception
    {
        cluster.close();
    }

    private void touch(final long key)
    {
        ownerWorker.pull(store, new long[] {key}, new float[SPEC.valueLength()], null, 1).await();
        assertEquals(SlotState.MAIN, store.localState(key));
    }

    private byte ask(final UUID requester, final long key, final byte flags)
    {
        final float[] delta = (flags & SyncBatch.DELTA) != 0 ? new float[] {1, 1} : new float[0];
        final SyncBatch batch = new SyncBatch(SPEC, new long[] {key}, new byte[] {flags}, delta, new long[] {-1});
        return owner.serveSync(0, new SyncBatch[] {batch}, requester, ++messageId)[0].status[0];
    }

    @Test
    void noMemberAskingLeavesTheKeyWithItsOwner()
    {
        touch(1);
        assertEquals(SyncBatchReply.SERVED, ask(REQUESTER, 1, SyncBatch.DELTA),
            "a delta alone is merged, nothing more");
        assertEquals(SlotState.MAIN, store.localState(1));
        assertEquals(0, owner.stats().relocateDecisions() + owner.stats().replicateDecisions());
    }

    @Test
    void oneMemberAskingGetsTheKeyRelocated()
    {
        touch(2);
        assertEquals(SyncBatchReply.SERVED | SyncBatchReply.VALUE | SyncBatchReply.RELOCATE,
            ask(REQUESTER, 2, SyncBatch.REFRESH));
        assertEquals(SlotState.ABSENT, store.localState(2), "the main copy left the owner");
        assertEquals(1, owner.stats().relocateDecisions());
    }

    @Test
    void aKeyRelocatedWithTheRequestersDeltaCarriesTheDeltasFingerprint()
    {
        touch(8);
        final SyncBatch batch = new SyncBatch(SPEC, new long[] {8}, new byte[] {SyncBatch.DELTA | SyncBatch.REFRESH},
            new float[] {1, 1}, new long[] {-1});
        final long id = ++messageId;
        final SyncBatchReply reply = owner.serveSync(0, new SyncBatch[] {batch}, REQUESTER, id)[0];
        assertEquals(SyncBatchReply.SERVED | SyncBatchReply.VALUE | SyncBatchReply.RELOCATE, reply.status[0]);
        assertArrayEquals(new long[] {8, AppliedRequests.fingerprint(id, 8)}, reply.movedApplied(),
            "the new owner learns that the value it gets holds the delta, in case the delta is sent again");
    }

    @Test
    void oneMemberAskingForABriefUseGetsAReplica()
    {
        touch(6);
        assertEquals(SyncBatchReply.SERVED | SyncBatchReply.VALUE,
            ask(REQUESTER, 6, (byte)(SyncBatch.REFRESH | SyncBatch.BRIEF)));
        assertEquals(SlotState.MAIN, store.localState(6), "the main copy stays with its owner");
        assertEquals(1, owner.stats().replicateDecisions());
        assertEquals(0, owner.stats().relocateDecisions());
    }

    @Test
    void twoMembersAskingGetTheKeyReplicated()
    {
        assertEquals(0, ask(OTHER, 3, SyncBatch.REFRESH), "a miss: the key does not exist yet, the interest counts");
        touch(3);
        assertEquals(SyncBatchReply.SERVED | SyncBatchReply.VALUE, ask(REQUESTER, 3, SyncBatch.REFRESH));
        assertEquals(SlotState.MAIN, store.localState(3), "the owner keeps the main copy");
        assertEquals(1, owner.stats().replicateDecisions());
    }

    @Test
    void theOwnersOwnIntentKeepsTheKeyAndReplicatesIt()
    {
        touch(4);
        // a member alone ignores intents; once it has company, the owner's intent registers
        cluster.addMember(GridConfig.embedded().mode(Mode.ADAPTIVE));
        ownerWorker.intent(store, new long[] {4}, 1, 0, 100);
        owner.waitSync();
        assertEquals(SyncBatchReply.SERVED | SyncBatchReply.VALUE, ask(REQUESTER, 4, SyncBatch.REFRESH));
        assertEquals(SlotState.MAIN, store.localState(4));
    }

    @Test
    void anIntentSignalledAloneKeepsTheKeyOnceAnotherMemberJoins()
    {
        touch(5);
        // alone: held, not registered; a key intended for the whole run must not go to the first member that asks
        ownerWorker.intent(store, new long[] {5}, 1, 0, 100);
        owner.waitSync();
        cluster.addMember(GridConfig.embedded().mode(Mode.ADAPTIVE));
        ownerWorker.advanceClock();
        owner.waitSync();
        assertEquals(SyncBatchReply.SERVED | SyncBatchReply.VALUE, ask(REQUESTER, 5, SyncBatch.REFRESH),
            "replicated, not relocated");
        assertEquals(SlotState.MAIN, store.localState(5));
    }

    @Test
    void withoutALimitAKeyMovesHoweverOftenItMoved()
    {
        assertEquals(Integer.MAX_VALUE, GridConfig.RELOCATION_LIMIT_DEFAULT);
        store.install(7, new float[] {1, 2}, 0, 1_000, 1);
        assertEquals(SyncBatchReply.SERVED | SyncBatchReply.VALUE | SyncBatchReply.RELOCATE,
            ask(REQUESTER, 7, SyncBatch.REFRESH));
        assertEquals(SlotState.ABSENT, store.localState(7));
    }

    @Test
    void aKeyThatMovedAsOftenAsTheLimitIsReplicatedFromWhereItIs() throws Exception
    {
        cluster.close();
        cluster = new InMemoryCluster(4);
        owner = cluster.addMember(GridConfig.embedded().mode(Mode.ADAPTIVE).actImmediately(true).relocationLimit(2));
        store = owner.newWorker().store(SPEC);
        store.install(5, new float[] {1, 2}, 0, 1, 1);
        assertEquals(SyncBatchReply.SERVED | SyncBatchReply.VALUE | SyncBatchReply.RELOCATE,
            ask(REQUESTER, 5, SyncBatch.REFRESH), "moved once: it may move again");
        store.install(6, new float[] {1, 2}, 0, 2, 1);
        assertEquals(SyncBatchReply.SERVED | SyncBatchReply.VALUE, ask(REQUESTER, 6, SyncBatch.REFRESH),
            "moved twice: only the requester wants it, yet it stays");
        assertEquals(SlotState.MAIN, store.localState(6), "the owner keeps the main copy");
        assertEquals(1, owner.stats().relocateDecisions());
        assertEquals(1, owner.stats().replicateDecisions());
    }
}
