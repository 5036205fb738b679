package org.intentgrid;

import org.intentgrid.spi.PreparedSample;

/**
 * A sample prepared by {@link ParameterWorker#prepareSample}: a fixed number of keys that
 * {@link ParameterWorker#pullSample} hands out in order. Belongs to the worker that prepared it; valid until
 * {@link ParameterWorker#finishSample}. Not thread-safe (neither is the worker).
 */
public final class SampleHandle
{
    private final ParameterWorker worker;
    private final Table table;
    private final int size;
    private final long id;
    final PreparedSample sample;
    final SamplingState state;
    int taken;
    boolean finished;

    SampleHandle(
        final ParameterWorker worker, final Table table, final int size, final long id, final PreparedSample sample,
        final SamplingState state)
    {
        this.worker = worker;
        this.table = table;
        this.size = size;
        this.id = id;
        this.sample = sample;
        this.state = state;
    }

    ParameterWorker worker()
    {
        return worker;
    }

    /** @return the table sampled */
    public Table table()
    {
        return table;
    }

    /** @return number of keys prepared */
    public int size()
    {
        return size;
    }

    /** @return keys not pulled yet */
    public int remaining()
    {
        return size - taken;
    }

    /** @return true once finished */
    public boolean isFinished()
    {
        return finished;
    }

    @Override
    public String toString()
    {
        return "sample " + id + " of table '" + table.name() + "' (" + taken + " of " + size + " keys pulled" +
            (finished ? ", finished)" : ")");
    }
}
