package org.intentgrid.jet;

import java.io.Serializable;

/**
 * The user's training step: reads the pulled values of a step's items and writes additive updates. It runs on a
 * cooperative Jet thread, so it must compute, not block (no I/O, no waiting on other jobs).
 *
 * @param <T> the stream's item type
 */
@FunctionalInterface
public interface TrainingStep<T> extends Serializable
{
    /**
     * @param batch the step's items with their keys' values; updates start at zero and are pushed after the call
     * @return the summed loss of the step's items (reports show its mean per item)
     */
    double train(StepBatch<T> batch);
}
