package org.intentgrid;

/**
 * A declared table: the handle that workers pass to pull, push and set.
 * <p>
 * Obtained from {@link ParameterGrid#table(TableSpec)}; valid on every member of the grid that
 * declared it. Thread-safe and immutable. Two handles of the same table are {@link #equals equal} (same spec), so
 * they can be keys of a map or members of a set.
 */
public final class Table
{
    private final TableSpec spec;

    Table(final TableSpec spec)
    {
        this.spec = spec;
    }

    /** @return the table's name */
    public String name()
    {
        return spec.name();
    }

    /** @return number of keys; valid keys are {@code [0, size)} */
    public long size()
    {
        return spec.size();
    }

    /** @return floats per key */
    public int valueLength()
    {
        return spec.valueLength();
    }

    /** @return the full shape */
    public TableSpec spec()
    {
        return spec;
    }

    @Override
    public boolean equals(final Object o)
    {
        return this == o || o instanceof Table other && spec.equals(other.spec);
    }

    @Override
    public int hashCode()
    {
        return spec.hashCode();
    }

    @Override
    public String toString()
    {
        return "Table{" + spec.name() + ", " + spec.shape() + "}";
    }
}
