/**
 * The adaptive intent policy, plugged into the grid through {@code org.intentgrid.spi.IntentPolicyProvider}:
 * worker clocks, per-worker intent queues, the action timer that decides when an intent is due (Poisson
 * quantile of the clocks a worker advances per sync round), and the owner's choice between relocating and
 * replicating.
 * <p>
 * Threading: workers add intents and advance their own clocks; the member's sync thread collects due intents
 * once per round; the owner's decision runs on Hazelcast's threads and reads no shared mutable state.
 */
package org.intentgrid.intent;
