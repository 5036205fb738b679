package org.intentgrid.spi;

/** One worker's sampler of one table; called only from the worker's thread. */
public interface WorkerSampler
{
    /**
     * Prepares a sample of {@code n} keys to be pulled while the worker's clock is in {@code [start, end)}.
     * The caller has validated the input (including {@code n} against the key range and pool size).
     */
    PreparedSample prepare(int n, long start, long end);
}
