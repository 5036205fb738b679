package org.intentgrid.spi;

/**
 * Creates the intent policy of a member. Listed in
 * {@code META-INF/services/org.intentgrid.spi.IntentPolicyProvider} by the module that implements it.
 */
public interface IntentPolicyProvider
{
    /**
     * @param mode                  the configured mode
     * @param actImmediately        act on every intent at the next round instead of timing actions
     * @param relocationLimit       in {@link Mode#ADAPTIVE}, how often a key may change members before it is only
     *                              replicated from where it is ({@code Integer.MAX_VALUE}: no limit)
     * @return the policy of one member
     */
    IntentPolicy create(Mode mode, boolean actImmediately, int relocationLimit);
}
