package org.intentgrid.internal;

import org.agrona.collections.LongArrayList;
import org.intentgrid.TableSpec;

import java.util.Arrays;

/**
 * One table's share of a backup flush on its way out: the keys whose main copies left, then the main copies that
 * changed, with counter, version and value, and the fingerprints of the remote updates those values include. Filled
 * stripe by stripe ({@link TableStore#collectBackup}) and sent once it holds about {@link #MAX_FLOATS} floats, so
 * that a full resync of a large table goes out in pieces.
 */
final class BackupBatch
{
    /** Floats of values one backup message carries at most (plus one stripe's worth): 16 MB. */
    static final int MAX_FLOATS = 1 << 22;

    final LongArrayList left = new LongArrayList();
    /** Fingerprints of the remote updates the values include: they travel in the same message as the values. */
    final LongArrayList applied = new LongArrayList();
    private final LongArrayList keys = new LongArrayList();
    private final LongArrayList counters = new LongArrayList();
    private final LongArrayList versions = new LongArrayList();
    private final int valueLength;
    private float[] values;

    BackupBatch(final int valueLength)
    {
        this.valueLength = valueLength;
        this.values = new float[Math.max(1, valueLength) * 64];
    }

    /** Adds the main copy in {@code slot}; caller holds the stripe's lock. */
    void add(final Stripe stripe, final int slot)
    {
        final int at = keys.size() * valueLength;
        if (at + valueLength > values.length)
        {
            values = Arrays.copyOf(values, Math.max(values.length * 2, at + valueLength));
        }
        keys.addLong(stripe.key(slot));
        counters.addLong(stripe.counter(slot));
        versions.addLong(stripe.version(slot));
        stripe.copyOut(slot, values, at);
    }

    /** @return true once the batch should be sent before more is added */
    boolean isFull()
    {
        return (long)keys.size() * valueLength >= MAX_FLOATS || left.size() >= MAX_FLOATS;
    }

    /** @return main copies in the batch */
    int size()
    {
        return keys.size();
    }

    /** @return the changed main copies as a request of {@code kind} (BACKUP or BACKUP_RESET) */
    DataRequest copies(final TableSpec spec, final RequestKind kind)
    {
        return new DataRequest(spec, kind, keys.toLongArray(), Arrays.copyOf(values, keys.size() * valueLength),
            counters.toLongArray(), null, versions.toLongArray(), 0, applied.toLongArray());
    }

    /** @return the keys that left, as a BACKUP_REMOVE request */
    DataRequest departures(final TableSpec spec)
    {
        return new DataRequest(spec, RequestKind.BACKUP_REMOVE, left.toLongArray(), null, null, null);
    }

    /** @return true if the batch carries main copies or fingerprints */
    boolean hasCopies()
    {
        return !keys.isEmpty() || !applied.isEmpty();
    }

    void clear()
    {
        left.clear();
        applied.clear();
        keys.clear();
        counters.clear();
        versions.clear();
    }
}
