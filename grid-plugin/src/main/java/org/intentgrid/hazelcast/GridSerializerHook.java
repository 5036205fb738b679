package org.intentgrid.hazelcast;

import com.hazelcast.internal.serialization.DataSerializerHook;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * Registers the grid's operations with Hazelcast's serialization; found through
 * {@code META-INF/services/com.hazelcast.DataSerializerHook}.
 */
public final class GridSerializerHook implements DataSerializerHook
{
    /** Factory id of the grid's serializable types. Chosen outside Hazelcast's own (negative) range. */
    public static final int FACTORY_ID = 0x1A7E;

    static final int DIRECT_OP = 1;
    static final int HOME_OP = 2;
    static final int HOME_FACTORY = 3;
    static final int REPLY = 4;
    static final int DIRECTORY_BACKUP = 5;
    static final int DIRECTORY_REPLICATION = 6;
    static final int SYNC_OP = 7;
    static final int SYNC_REPLY = 8;
    static final int CHECKPOINT_OP = 9;

    @Override
    public int getFactoryId()
    {
        return FACTORY_ID;
    }

    @Override
    public DataSerializableFactory createFactory()
    {
        return GridSerializerHook::create;
    }

    private static IdentifiedDataSerializable create(final int classId)
    {
        switch (classId)
        {
            case DIRECT_OP:
                return new DirectOp();
            case HOME_OP:
                return new HomeOp();
            case HOME_FACTORY:
                return new HomeOpFactory();
            case REPLY:
                return new ReplyMessage();
            case DIRECTORY_BACKUP:
                return new DirectoryBackupOp();
            case DIRECTORY_REPLICATION:
                return new DirectoryReplicationOp();
            case SYNC_OP:
                return new SyncOp();
            case SYNC_REPLY:
                return new SyncReplyMessage();
            case CHECKPOINT_OP:
                return new CheckpointOp();
            default:
                throw new IllegalArgumentException("unknown intentgrid class id " + classId);
        }
    }
}
