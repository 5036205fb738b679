package org.intentgrid.intent;

import org.intentgrid.spi.IntentPolicy;
import org.intentgrid.spi.IntentPolicyProvider;
import org.intentgrid.spi.Mode;

/**
 * Plugs the adaptive policy into the grid; listed in
 * {@code META-INF/services/org.intentgrid.spi.IntentPolicyProvider}, so having this module on a member's
 * classpath is all it takes.
 */
public final class AdaptivePolicyProvider implements IntentPolicyProvider
{
    @Override
    public IntentPolicy create(final Mode mode, final boolean actImmediately, final int relocationLimit)
    {
        return new AdaptivePolicy(mode, actImmediately, relocationLimit);
    }
}
