package org.intentgrid.jet;

import java.util.List;

/**
 * The items of one training step and the values of their keys, as the {@link TrainingStep} sees them.
 * <p>
 * Tables are numbered in the order the stage declared them ({@link TrainingStage.Builder#keys}), negative samples
 * in the order of {@link TrainingStage.Builder#negatives}. For each table, the keys of all items follow one another
 * in item order, and {@link #values(int)} holds their values in the same order ({@code valueLength} floats per
 * key; a key named twice appears twice). {@link #updates(int)} has the same layout, starts at zero, and is pushed
 * as additive updates after the step. Negative samples are laid out alike, {@code perItem} keys per item.
 * Valid only during the call.
 *
 * @param <T> the stream's item type
 */
public final class StepBatch<T>
{
    private final List<T> items;
    private final int[] valueLengths;
    private final int[][] keyStarts;
    private final long[][] keys;
    private final float[][] values;
    private final float[][] updates;
    private final int[] negativeLengths;
    private final int[] perItem;
    private final long[][] negativeKeys;
    private final float[][] negativeValues;
    private final float[][] negativeUpdates;

    StepBatch(
        final List<T> items, final int[] valueLengths, final int[][] keyStarts, final long[][] keys,
        final float[][] values, final float[][] updates, final int[] negativeLengths, final int[] perItem,
        final long[][] negativeKeys, final float[][] negativeValues, final float[][] negativeUpdates)
    {
        this.items = items;
        this.valueLengths = valueLengths;
        this.keyStarts = keyStarts;
        this.keys = keys;
        this.values = values;
        this.updates = updates;
        this.negativeLengths = negativeLengths;
        this.perItem = perItem;
        this.negativeKeys = negativeKeys;
        this.negativeValues = negativeValues;
        this.negativeUpdates = negativeUpdates;
    }

    /** @return items in this step */
    public int size()
    {
        return items.size();
    }

    /** @return item {@code i} of this step, oldest first */
    public T item(final int i)
    {
        return items.get(i);
    }

    /** @return floats per key of table {@code table} */
    public int valueLength(final int table)
    {
        return valueLengths[table];
    }

    /** @return how many keys item {@code i} named in table {@code table} */
    public int keyCount(final int table, final int i)
    {
        return keyStarts[table][i + 1] - keyStarts[table][i];
    }

    /** @return key {@code k} of item {@code i} in table {@code table} */
    public long key(final int table, final int i, final int k)
    {
        return keys[table][keyStarts[table][i] + k];
    }

    /** @return where the value of key {@code k} of item {@code i} starts in {@link #values} and {@link #updates} */
    public int offset(final int table, final int i, final int k)
    {
        return (keyStarts[table][i] + k) * valueLengths[table];
    }

    /** @return the pulled values of table {@code table}'s keys (read them; writes are not pushed) */
    public float[] values(final int table)
    {
        return values[table];
    }

    /** @return the additive updates of table {@code table}'s keys, pushed after the step */
    public float[] updates(final int table)
    {
        return updates[table];
    }

    long[] keysOf(final int table)
    {
        return keys[table];
    }

    long[] negativeKeysOf(final int sample)
    {
        return negativeKeys[sample];
    }

    /** @return negative keys per item of negative sample {@code sample} */
    public int negativesPerItem(final int sample)
    {
        return perItem[sample];
    }

    /** @return negative key {@code k} of item {@code i} in sample {@code sample} */
    public long negativeKey(final int sample, final int i, final int k)
    {
        return negativeKeys[sample][i * perItem[sample] + k];
    }

    /** @return where negative key {@code k} of item {@code i} starts in the sample's values and updates */
    public int negativeOffset(final int sample, final int i, final int k)
    {
        return (i * perItem[sample] + k) * negativeLengths[sample];
    }

    /** @return the pulled values of sample {@code sample}'s negative keys */
    public float[] negativeValues(final int sample)
    {
        return negativeValues[sample];
    }

    /** @return the additive updates of sample {@code sample}'s negative keys, pushed after the step */
    public float[] negativeUpdates(final int sample)
    {
        return negativeUpdates[sample];
    }
}
