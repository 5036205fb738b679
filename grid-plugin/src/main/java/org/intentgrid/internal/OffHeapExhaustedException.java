package org.intentgrid.internal;

/**
 * A member's store has no room for more values: its off-heap cap is reached, or the machine has no memory left.
 * Thrown by the operation that needed the space; nothing half-created is left behind.
 */
public final class OffHeapExhaustedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    OffHeapExhaustedException(
        final String member, final String table, final long requested, final long inUse, final long cap,
        final Throwable cause)
    {
        super("member " + member + " has no room for " + requested + " more bytes of table '" + table + "': " +
            inUse + " bytes in use" + (cap == Long.MAX_VALUE ? " and the machine refused more memory" :
            " of a cap of " + cap + " (intentgrid.max-offheap-bytes)") +
            "; raise the cap, add members, or use fewer or smaller tables", cause);
    }
}
