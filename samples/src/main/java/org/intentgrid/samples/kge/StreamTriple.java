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
}
