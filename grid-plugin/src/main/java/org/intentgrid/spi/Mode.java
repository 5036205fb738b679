package org.intentgrid.spi;

/** How the grid reacts to intents. */
public enum Mode
{
    /** Relocate a key to the sole member that intends it; replicate it where several do (the default). */
    ADAPTIVE,
    /** Always replicate; main copies never move because of intents. */
    REPLICATION_ONLY,
    /** Always relocate to the requester, even away from an owner that intends the key itself. */
    RELOCATION_ONLY,
    /** Ignore intents: the classic partitioned parameter server, every key stays at its home. */
    STATIC;

    /** @return the mode for a command-line or property spelling such as {@code replication-only} */
    public static Mode parse(final String text)
    {
        for (final Mode mode : values())
        {
            if (mode.name().equalsIgnoreCase(text.replace('-', '_')))
            {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + text + "'; expected one of adaptive, " +
            "replication-only, relocation-only, static");
    }

    /** @return the spelling used on command lines */
    public String label()
    {
        return name().toLowerCase().replace('_', '-');
    }
}
