package org.intentgrid.jet;

import java.io.Serializable;

/**
 * What a {@link TrainingStage} emits: periodic {@link TrainingReport}s and the {@link RejectedItem}s it could not
 * train (the dead letters). Filter the stage's output by type to route each to its own sink.
 */
public sealed interface TrainingEvent extends Serializable permits TrainingReport, RejectedItem
{
    /** @return the global index of the processor that emitted the event */
    int processor();
}
