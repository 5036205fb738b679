package org.intentgrid;

import java.util.Objects;

/**
 * The shape of a table: name, key range {@code [0, size)}, value length in floats, and initializer.
 * <p>
 * Immutable; {@link #init(Init)} returns a copy. Two specs with the same name must be equal in every
 * field for a re-declaration to be accepted.
 */
public final class TableSpec
{
    /** Longest accepted table name, in characters. */
    public static final int MAX_NAME_LENGTH = 200;

    private final String name;
    private final long size;
    private final int valueLength;
    private final Init init;
    private final long nameHash;

    private TableSpec(final String name, final long size, final int valueLength, final Init init)
    {
        this.name = name;
        this.size = size;
        this.valueLength = valueLength;
        this.init = init;
        this.nameHash = Hashing.nameHash(name);
    }

    /**
     * @param name        non-empty table name, at most {@value #MAX_NAME_LENGTH} characters
     * @param size        number of keys, {@code >= 1}; keys are {@code [0, size)}
     * @param valueLength floats per key, {@code 1..65536}
     * @return a spec with zero initial values
     */
    public static TableSpec of(final String name, final long size, final int valueLength)
    {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException(
                "table name must have 1.." + MAX_NAME_LENGTH + " characters, got " +
                (name == null ? "null" : "'" + name + "' (" + name.length() + " characters)"));
        }
        if (size < 1)
        {
            throw new IllegalArgumentException("table '" + name + "': size must be >= 1, got " + size);
        }
        if (valueLength < 1 || valueLength > 65536)
        {
            throw new IllegalArgumentException(
                "table '" + name + "': valueLength must be in 1..65536, got " + valueLength);
        }
        return new TableSpec(name, size, valueLength, Init.zeros());
    }

    /**
     * @param init the initializer
     * @return a copy of this spec with the given initializer
     */
    public TableSpec init(final Init init)
    {
        return new TableSpec(name, size, valueLength, Objects.requireNonNull(init, "init"));
    }

    /** @return the table name */
    public String name()
    {
        return name;
    }

    /** @return number of keys */
    public long size()
    {
        return size;
    }

    /** @return floats per key */
    public int valueLength()
    {
        return valueLength;
    }

    /** @return the initializer */
    public Init init()
    {
        return init;
    }

    /** @return stable hash of the name, the same on every member */
    public long nameHash()
    {
        return nameHash;
    }

    /** @return a one-line description of the shape, used in error messages and the table registry */
    public String shape()
    {
        return "size=" + size + ", valueLength=" + valueLength + ", init=" + init;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof TableSpec))
        {
            return false;
        }
        final TableSpec other = (TableSpec)o;
        return name.equals(other.name) && size == other.size && valueLength == other.valueLength &&
            init.equals(other.init);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(name, size, valueLength, init);
    }

    @Override
    public String toString()
    {
        return "TableSpec{" + name + ", " + shape() + "}";
    }
}
