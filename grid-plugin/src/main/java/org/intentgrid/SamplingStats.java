package org.intentgrid;

/** Sampling statistics of one table on a member (or summed over members): an immutable snapshot. */
public final class SamplingStats
{
    private final SamplingScheme scheme;
    private final long samplesPrepared;
    private final long samplesPulled;
    private final long samplesLocal;
    private final long poolRefreshes;
    private final long candidateChecks;
    private final long fallbacks;

    /** Creates a snapshot; see the accessors for the meaning of each counter. */
    public SamplingStats(
        final SamplingScheme scheme, final long samplesPrepared, final long samplesPulled, final long samplesLocal,
        final long poolRefreshes, final long candidateChecks, final long fallbacks)
    {
        this.scheme = scheme;
        this.samplesPrepared = samplesPrepared;
        this.samplesPulled = samplesPulled;
        this.samplesLocal = samplesLocal;
        this.poolRefreshes = poolRefreshes;
        this.candidateChecks = candidateChecks;
        this.fallbacks = fallbacks;
    }

    /** @return the scheme these numbers belong to */
    public SamplingScheme scheme()
    {
        return scheme;
    }

    /** @return keys reserved by {@code prepareSample} */
    public long samplesPrepared()
    {
        return samplesPrepared;
    }

    /** @return keys handed out by {@code pullSample} */
    public long samplesPulled()
    {
        return samplesPulled;
    }

    /** @return of {@link #samplesPulled()}, those whose value was read on this member inside the call */
    public long samplesLocal()
    {
        return samplesLocal;
    }

    /** @return share of pulled samples served locally, 0 when none were pulled */
    public double localShare()
    {
        return samplesPulled == 0 ? 0 : (double)samplesLocal / samplesPulled;
    }

    /** @return pools drawn by the {@code pool} scheme */
    public long poolRefreshes()
    {
        return poolRefreshes;
    }

    /** @return candidate keys examined by the {@code local} scheme */
    public long candidateChecks()
    {
        return candidateChecks;
    }

    /** @return candidate keys examined per pulled sample */
    public double checksPerSample()
    {
        return samplesPulled == 0 ? 0 : (double)candidateChecks / samplesPulled;
    }

    /** @return samples of the {@code local} scheme that found no local candidate and were pulled remotely */
    public long fallbacks()
    {
        return fallbacks;
    }

    /** @return the counters of both snapshots added (the scheme of this one) */
    public SamplingStats plus(final SamplingStats other)
    {
        return new SamplingStats(scheme, samplesPrepared + other.samplesPrepared, samplesPulled + other.samplesPulled,
            samplesLocal + other.samplesLocal, poolRefreshes + other.poolRefreshes,
            candidateChecks + other.candidateChecks, fallbacks + other.fallbacks);
    }

    @Override
    public String toString()
    {
        return String.format("SamplingStats{scheme=%s, prepared=%d, pulled=%d, local=%.1f%%, poolRefreshes=%d, " +
            "checksPerSample=%.2f, fallbacks=%d}", scheme.label(), samplesPrepared, samplesPulled, 100 * localShare(),
            poolRefreshes, checksPerSample(), fallbacks);
    }
}
