/**
 * Sampling schemes behind {@code ParameterWorker.prepareSample}, plugged in through
 * {@code org.intentgrid.spi.SamplerProvider}: {@code naive}, {@code preloc} (intent for the drawn keys),
 * {@code pool} (a per-member pool reused a fixed number of passes) and {@code local} (the first local
 * candidate).
 * <p>
 * Threading: a member sampler is shared by the member's workers; each worker sampler and each prepared sample
 * belong to one worker's thread.
 */
package org.intentgrid.sampling;
