package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import org.intentgrid.TableSpec;
import org.intentgrid.internal.CheckpointPhase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A member's share of a checkpoint or a rollback, run on a generic operation thread: merge the replicas' updates,
 * write the main copies it holds, or reset them to their initial values. Rare and coordinated by one caller, so
 * blocking one generic thread for it is acceptable.
 */
final class CheckpointOp extends GridOperation
{
    private String directory;
    private List<TableSpec> specs;
    private CheckpointPhase phase;
    private UUID[] lost;
    private String[] response;

    CheckpointOp()
    {
    }

    CheckpointOp(final String directory, final List<TableSpec> specs, final CheckpointPhase phase, final UUID[] lost)
    {
        this.directory = directory;
        this.specs = specs;
        this.phase = phase;
        this.lost = lost;
    }

    @Override
    public void run()
    {
        response = runtime().checkpoint(directory, specs, phase, lost);
    }

    @Override
    public Object getResponse()
    {
        return response;
    }

    @Override
    public int getClassId()
    {
        return GridSerializerHook.CHECKPOINT_OP;
    }

    @Override
    protected void writeInternal(final ObjectDataOutput out) throws IOException
    {
        out.writeString(directory);
        out.writeInt(phase.ordinal());
        out.writeInt(specs.size());
        for (final TableSpec spec : specs)
        {
            Wire.writeSpec(out, spec);
        }
        out.writeInt(lost.length);
        for (final UUID member : lost)
        {
            Wire.writeUuid(out, member);
        }
    }

    @Override
    protected void readInternal(final ObjectDataInput in) throws IOException
    {
        directory = in.readString();
        phase = CheckpointPhase.of(in.readInt());
        final int n = in.readInt();
        specs = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            specs.add(Wire.readSpec(in));
        }
        lost = new UUID[in.readInt()];
        for (int i = 0; i < lost.length; i++)
        {
            lost[i] = Wire.readUuid(in);
        }
    }
}
