package org.intentgrid;

/** How {@link ParameterWorker#prepareSample} and {@link ParameterWorker#pullSample} pick and fetch keys. */
public enum SamplingScheme
{
    /** Draw at prepare time and pull like any other key: the classic baseline. */
    NAIVE,
    /** Draw at prepare time and signal intent for the drawn keys over the sample's clock window. */
    PRELOC,
    /**
     * Take keys from a per-member pool that is kept local through intents; the pool is reshuffled and reused
     * {@link Sampling#reuse()} times before it is drawn anew. Each drawn key is thus returned {@code reuse}
     * times: the distribution of single samples is kept, but samples are correlated.
     */
    POOL,
    /**
     * Return only keys that are local when the sample is pulled: draw candidates from the distribution until
     * one is local. This changes the distribution (keys are drawn in proportion to their probability among the
     * local ones) in exchange for no remote access; when {@link Sampling#localChecks()} candidates in a row are
     * all remote, the last one is used and pulled remotely (a counted fallback) instead of spinning.
     */
    LOCAL;

    /** @return the scheme for a spelling such as {@code preloc} (case-insensitive) */
    public static SamplingScheme parse(final String text)
    {
        for (final SamplingScheme scheme : values())
        {
            if (scheme.name().equalsIgnoreCase(text))
            {
                return scheme;
            }
        }
        throw new IllegalArgumentException("unknown sampling scheme '" + text + "'; expected one of naive, preloc, " +
            "pool, local");
    }

    /** @return the spelling used on command lines */
    public String label()
    {
        return name().toLowerCase();
    }
}
