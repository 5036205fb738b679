package org.intentgrid.internal;

import org.agrona.UnsafeAccess;
import sun.misc.Unsafe;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The native memory of one member's stores: slot chunks allocated with {@code Unsafe.allocateMemory}, so that the
 * store is bounded by the machine's memory and this member's cap rather than by the JVM's direct-memory limit
 * (which defaults to the heap size, and which a drop-in plugin cannot expect members to raise).
 * <p>
 * A chunk is freed when the object that owns it (its stripe) becomes unreachable, never earlier: lock-free readers
 * may still be reading a chunk of a stripe they can reach, and reading freed native memory would crash the JVM.
 * Thread-safe.
 */
final class OffHeapMemory
{
    private static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;
    private static final Cleaner CLEANER = Cleaner.create(runnable ->
    {
        final Thread thread = new Thread(runnable, "intentgrid-offheap-free");
        thread.setDaemon(true);
        return thread;
    });

    private final String memberName;
    private final long cap;
    private final AtomicLong used = new AtomicLong();

    /**
     * @param memberName for error messages
     * @param cap        most bytes this member may hold, {@link Long#MAX_VALUE} for no cap
     */
    OffHeapMemory(final String memberName, final long cap)
    {
        this.memberName = memberName;
        this.cap = cap;
    }

    /** @return memory without a cap, for a single stripe in a test */
    static OffHeapMemory unlimited()
    {
        return new OffHeapMemory("test", Long.MAX_VALUE);
    }

    /** @return the accounting of one table's chunks on this member */
    Account account(final String table)
    {
        return new Account(table);
    }

    /** @return bytes allocated and not yet freed */
    long used()
    {
        return used.get();
    }

    /** @return the cap, {@link Long#MAX_VALUE} if there is none */
    long cap()
    {
        return cap;
    }

    /** One table's share of a member's native memory. */
    final class Account
    {
        private final String table;
        private final AtomicLong bytes = new AtomicLong();

        private Account(final String table)
        {
            this.table = table;
        }

        /** @return bytes this table holds on this member */
        long bytes()
        {
            return bytes.get();
        }

        /**
         * Allocates {@code size} bytes that are freed once {@code owner} is unreachable.
         *
         * @throws OffHeapExhaustedException if the cap or the machine's memory leaves no room; nothing is allocated
         */
        long allocate(final Object owner, final long size)
        {
            final long after = used.addAndGet(size);
            if (after > cap || after < 0)
            {
                used.addAndGet(-size);
                throw new OffHeapExhaustedException(memberName, table, size, after - size, cap, null);
            }
            final long address;
            try
            {
                address = UNSAFE.allocateMemory(size);
            }
            catch (final OutOfMemoryError e)
            {
                used.addAndGet(-size);
                throw new OffHeapExhaustedException(memberName, table, size, after - size, cap, e);
            }
            bytes.addAndGet(size);
            CLEANER.register(owner, new Free(address, size, this));
            return address;
        }

        private void released(final long size)
        {
            bytes.addAndGet(-size);
            used.addAndGet(-size);
        }
    }

    /** The cleaning action: must not refer to the owner, or the owner would never become unreachable. */
    private static final class Free implements Runnable
    {
        private final long address;
        private final long size;
        private final Account account;

        Free(final long address, final long size, final Account account)
        {
            this.address = address;
            this.size = size;
            this.account = account;
        }

        @Override
        public void run()
        {
            UNSAFE.freeMemory(address);
            account.released(size);
        }
    }
}
