package org.intentgrid;

import org.intentgrid.internal.TableStore;

import java.util.Objects;

/**
 * The shape of a table: name, key range {@code [0, size)}, value length in floats, and initializer.
 * <p>
 * Immutable; {@link #init(Init)} returns a copy. A declared name is re-declared only with the same
 * {@linkplain #sameShape shape}.
 * <p>
 * A name can be declared again after its table was dropped. The grid then gives the new table the next
 * {@linkplain #incarnation() incarnation} of the name, so that a handle or a late message of the dropped table can
 * never reach the new one: inside the cluster a table is known by its {@link #id()}, the name and the incarnation.
 */
public final class TableSpec
{
    /** Longest accepted table name, in characters. */
    public static final int MAX_NAME_LENGTH = 200;
    /** Separates the name from the incarnation in {@link #id()}; no name contains it. */
    private static final char INCARNATION_SEPARATOR = '\u0000';

    private final String name;
    private final long size;
    private final int valueLength;
    private final Init init;
    private final int incarnation;
    private final String id;
    private final long nameHash;

    private TableSpec(
        final String name, final long size, final int valueLength, final Init init, final int incarnation)
    {
        this.name = name;
        this.size = size;
        this.valueLength = valueLength;
        this.init = init;
        this.incarnation = incarnation;
        this.id = incarnation == 0 ? name : name + INCARNATION_SEPARATOR + incarnation;
        this.nameHash = Hashing.nameHash(name);
    }

    /**
     * @param name        non-empty table name, at most {@value #MAX_NAME_LENGTH} characters, without the NUL
     *                    character
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
        if (name.indexOf(INCARNATION_SEPARATOR) >= 0)
        {
            throw new IllegalArgumentException("table name must not contain the NUL character, got '" +
                name.replace(INCARNATION_SEPARATOR, '?') + "' (NUL shown as '?')");
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
        return new TableSpec(name, size, valueLength, Init.zeros(), 0);
    }

    /**
     * @param init the initializer
     * @return a copy of this spec with the given initializer
     */
    public TableSpec init(final Init init)
    {
        return new TableSpec(name, size, valueLength, Objects.requireNonNull(init, "init"), incarnation);
    }

    /**
     * The grid sets the incarnation when it declares a table ({@code ParameterGrid.table(TableSpec)}); a spec made by
     * hand has incarnation 0 and is declared as whichever incarnation of its name is current.
     *
     * @param incarnation how many tables of this name were dropped before this one, {@code >= 0}
     * @return a copy of this spec with the given incarnation
     */
    public TableSpec incarnation(final int incarnation)
    {
        if (incarnation < 0)
        {
            throw new IllegalArgumentException("table '" + name + "': incarnation must be >= 0, got " + incarnation);
        }
        return incarnation == this.incarnation ? this : new TableSpec(name, size, valueLength, init, incarnation);
    }

    /** @return the table name */
    public String name()
    {
        return name;
    }

    /** @return how many tables of this name were dropped in the cluster before this one was declared */
    public int incarnation()
    {
        return incarnation;
    }

    /**
     * @return the table's identity inside the cluster: its name, and its incarnation if the name was dropped before;
     *         the key of everything members keep per table
     */
    public String id()
    {
        return id;
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

    /**
     * Native memory one copy of a key takes on a member: its value and a 48-byte header (key, version, state, sync
     * and intent notes), rounded up to 8 bytes. A member needs it for every main copy, replica and backup it holds,
     * plus a partly filled chunk per stripe (at most 256 KiB each); the heap holds 5-11 bytes more per key.
     *
     * @return bytes per copy of a key, for sizing members and their {@code intentgrid.max-offheap-bytes}
     */
    public long nativeBytesPerKey()
    {
        return TableStore.bytesPerCopy(valueLength);
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
        return name.equals(other.name) && incarnation == other.incarnation && sameShape(other);
    }

    /** @return true if {@code other} has this spec's size, value length and initializer */
    public boolean sameShape(final TableSpec other)
    {
        return size == other.size && valueLength == other.valueLength && init.equals(other.init);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(name, incarnation, size, valueLength, init);
    }

    @Override
    public String toString()
    {
        return "TableSpec{" + name + (incarnation == 0 ? "" : " (incarnation " + incarnation + ")") + ", " +
            shape() + "}";
    }
}
