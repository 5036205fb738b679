package org.intentgrid.jet;

/**
 * An item the training stage did not train, with the reason (a key out of its table's range, a key function that
 * failed or returned nothing). The stage keeps running; reports count rejections.
 *
 * @param processor the global index of the processor that rejected it
 * @param item      the item as it arrived
 * @param reason    what was wrong and what was expected
 */
public record RejectedItem(int processor, Object item, String reason) implements TrainingEvent
{
}
