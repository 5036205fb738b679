package org.intentgrid;

/**
 * A member has no room for more parameter values: its cap ({@link GridConfig#maxOffHeapBytes}) is reached, or the
 * machine refused more memory. Thrown by the call whose keys needed the space, at once; the keys it could not
 * create are not created, and the member's other keys and tables keep working.
 */
public final class OffHeapExhaustedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /** @param message names the member, the table, the bytes in use and the cap, and what to do */
    public OffHeapExhaustedException(final String message)
    {
        super(message);
    }

    /**
     * @param message names the member, the table, the bytes in use and the cap, and what to do
     * @param cause   the machine's refusal, if that was the reason
     */
    public OffHeapExhaustedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
