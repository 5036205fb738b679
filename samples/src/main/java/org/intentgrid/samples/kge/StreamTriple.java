package org.intentgrid.samples.kge;

import java.io.Serializable;

/**
 * One training triple of the stream, stamped with the time the generator produced it.
 *
 * @param subject    subject entity id
 * @param relation   relation id
 * @param object     object entity id
 * @param eventTime  epoch milliseconds at which it was produced (for the end-to-end lag)
 */
record StreamTriple(int subject, int relation, int object, long eventTime) implements Serializable
{
    /**
     * @return the triple as the stream's map stores it: a {@code long[]} travels through Hazelcast's own array
     *         serializer, several times cheaper than Java serialization of this record
     */
    static long[] encode(final int subject, final int relation, final int object, final long eventTime)
    {
        return new long[] {subject, relation, object, eventTime};
    }

    /**
     * @return the triple on a {@code subject<TAB>relation<TAB>object} line of a {@code .del} file, stamped now; its
     *         ids are checked by the training stage (out of range: a dead letter)
     * @throws NumberFormatException if a column is not a number; IllegalArgumentException for a wrong column count
     */
    static StreamTriple parse(final String line)
    {
        final String[] columns = line.split("\t");
        if (columns.length != 3)
        {
            throw new IllegalArgumentException("expected subject<TAB>relation<TAB>object, got '" + line + "'");
        }
        return new StreamTriple(Integer.parseInt(columns[0].trim()), Integer.parseInt(columns[1].trim()),
            Integer.parseInt(columns[2].trim()), System.currentTimeMillis());
    }

    /** @return the triple {@link #encode} stored */
    static StreamTriple of(final long[] encoded)
    {
        return new StreamTriple((int)encoded[0], (int)encoded[1], (int)encoded[2], encoded[3]);
    }
}
