package org.intentgrid.core;

import org.intentgrid.Hashing;
import org.intentgrid.Init;
import org.intentgrid.TableSpec;

import java.util.Arrays;

/**
 * The member-local part of one table: main copies of the keys this member owns, off-heap, split into
 * lock stripes.
 * <p>
 * Each per-key method takes at most one stripe lock for one key step and allocates nothing; pulls take
 * no lock at all unless a writer interferes. This is the local fast path used by workers and by the
 * operations that serve other members.
 */
public final class TableStore
{
    private final TableSpec spec;
    private final int valueLength;
    private final Stripe[] stripes;
    private final int stripeMask;
    private final String memberName;
    private final StoreListener listener;

    TableStore(final TableSpec spec, final int stripeCount, final String memberName, final StoreListener listener)
    {
        this.spec = spec;
        this.valueLength = spec.valueLength();
        this.memberName = memberName;
        this.listener = listener;
        this.stripes = new Stripe[stripeCount];
        final long perStripe = Math.max(1, spec.size() / stripeCount / 2);
        final int slotsPerChunk = Integer.highestOneBit((int)Math.min(4096, Math.max(16, perStripe)));
        for (int i = 0; i < stripeCount; i++)
        {
            stripes[i] = new Stripe(valueLength, slotsPerChunk);
        }
        this.stripeMask = stripeCount - 1;
    }

    /** @return the table's shape */
    public TableSpec spec()
    {
        return spec;
    }

    /** @return floats per key */
    public int valueLength()
    {
        return valueLength;
    }

    Stripe stripe(final long key)
    {
        return stripes[(int)Hashing.mix64(key) & stripeMask];
    }

    /**
     * Copies the value of {@code key} into {@code dst} if this member holds its main copy.
     *
     * @return true if served locally
     */
    public boolean pullLocal(final long key, final float[] dst, final int dstOffset)
    {
        final Stripe stripe = stripe(key);
        final int optimistic = stripe.copyOutOptimistic(key, dst, dstOffset);
        if (optimistic >= 0)
        {
            return optimistic == 1;
        }
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.slotOf(key);
            if (slot < 0)
            {
                return false;
            }
            stripe.copyOut(slot, dst, dstOffset);
            return true;
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * Adds {@code src[srcOffset ..]} to the value of {@code key} if this member holds its main copy.
     *
     * @param scratch room for one value, owned by the calling thread
     * @return true if applied locally
     */
    public boolean pushLocal(final long key, final float[] src, final int srcOffset, final AddScratch scratch)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.slotOf(key);
            if (slot < 0)
            {
                return false;
            }
            stripe.add(slot, src, srcOffset, scratch);
            return true;
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * Overwrites the value of {@code key} if this member holds its main copy.
     *
     * @return true if applied locally
     */
    public boolean setLocal(final long key, final float[] src, final int srcOffset)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            final int slot = stripe.slotOf(key);
            if (slot < 0)
            {
                return false;
            }
            stripe.copyIn(slot, src, srcOffset);
            return true;
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /** @return true if this member holds the main copy of {@code key} right now */
    public boolean holdsMain(final long key)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            return stripe.slotOf(key) >= 0;
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /** @return the peer index this member last saw holding {@code key}, or -1 */
    int hint(final long key)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            return stripe.hint(key);
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    void setHint(final long key, final int peer)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            if (stripe.slotOf(key) < 0)
            {
                stripe.setHint(key, peer);
            }
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * Creates the main copy here with the table's initial value. Caller holds the stripe lock and has
     * established (through the home directory) that no other main copy exists.
     */
    int materialize(final Stripe stripe, final long key)
    {
        final int slot = stripe.create(key, 0);
        final Init init = spec.init();
        final long tableHash = spec.nameHash();
        for (int i = 0; i < valueLength; i++)
        {
            stripe.putFloat(slot, i, init.value(tableHash, key, i));
        }
        listener.mainAcquired(spec.name(), key, memberName);
        return slot;
    }

    /**
     * Installs a main copy that arrived from another member.
     *
     * @throws IllegalStateException if this member already holds a main copy (the protocol never does this)
     */
    void install(final long key, final float[] src, final int srcOffset, final long counter)
    {
        final Stripe stripe = stripe(key);
        final long stamp = stripe.lock();
        try
        {
            if (stripe.slotOf(key) >= 0)
            {
                throw new IllegalStateException("table '" + spec.name() + "' key " + key +
                    ": received a main copy while already holding one (counter " + counter + ")");
            }
            final int slot = stripe.create(key, counter);
            stripe.copyIn(slot, src, srcOffset);
            listener.mainAcquired(spec.name(), key, memberName);
        }
        finally
        {
            stripe.unlock(stamp);
        }
    }

    /**
     * Removes the main copy from {@code slot}, copying its value out first. Caller holds the lock.
     *
     * @return the relocation counter the next owner must use (old counter + 1)
     */
    long take(final Stripe stripe, final int slot, final float[] dst, final int dstOffset, final int toPeer)
    {
        final long key = stripe.key(slot);
        final long next = stripe.counter(slot) + 1;
        stripe.copyOut(slot, dst, dstOffset);
        listener.mainReleased(spec.name(), key, memberName);
        stripe.remove(slot, toPeer);
        return next;
    }

    /** @return number of main copies held here */
    public long mainCopies()
    {
        long n = 0;
        for (final Stripe stripe : stripes)
        {
            final long stamp = stripe.lock();
            try
            {
                n += stripe.size();
            }
            finally
            {
                stripe.unlock(stamp);
            }
        }
        return n;
    }

    /** @return the keys of all main copies held here (a snapshot; not for the hot path) */
    public long[] mainKeys()
    {
        long[] keys = new long[16];
        int n = 0;
        for (final Stripe stripe : stripes)
        {
            final long stamp = stripe.lock();
            try
            {
                if (n + stripe.size() > keys.length)
                {
                    keys = Arrays.copyOf(keys, Math.max(keys.length * 2, n + stripe.size()));
                }
                n = stripe.collectKeys(keys, n);
            }
            finally
            {
                stripe.unlock(stamp);
            }
        }
        return Arrays.copyOf(keys, n);
    }
}
