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
     * @return the policy of one member
     */
    IntentPolicy create(Mode mode, boolean actImmediately);
}
