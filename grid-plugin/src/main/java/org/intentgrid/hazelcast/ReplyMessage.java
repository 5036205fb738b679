package org.intentgrid.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import org.intentgrid.internal.DataReply;

import java.io.IOException;

/** A {@link DataReply} as an operation response. */
final class ReplyMessage implements IdentifiedDataSerializable
{
    DataReply reply;

    ReplyMessage()
    {
    }

    ReplyMessage(final DataReply reply)
    {
        this.reply = reply;
    }

    @Override
    public int getFactoryId()
    {
        return GridSerializerHook.FACTORY_ID;
    }

    @Override
    public int getClassId()
    {
        return GridSerializerHook.REPLY;
    }

    @Override
    public void writeData(final ObjectDataOutput out) throws IOException
    {
        Wire.writeReply(out, reply);
    }

    @Override
    public void readData(final ObjectDataInput in) throws IOException
    {
        reply = Wire.readReply(in);
    }
}
