package org.intentgrid.spi;

/** Receives intents that the policy decided to act on now. */
@FunctionalInterface
public interface DueIntentSink
{
    /**
     * @param table  the table token the worker passed with the intent
     * @param key    the key
     * @param worker index of the intending worker on this member
     * @param end    clock (exclusive) until which the worker intends the key
     */
    void due(Object table, long key, int worker, long end);
}
