/**
 * The service-provider interfaces between the mechanism ({@code grid-plugin}) and the policies plugged into it
 * ({@code intent-service}), found with {@link java.util.ServiceLoader}: the intent policy (worker clocks, intent
 * queues, action timing, the owner's relocate-or-replicate choice) and the sampling schemes. Without a provider
 * on the classpath the grid runs in {@link org.intentgrid.spi.Mode#STATIC} mode.
 * <p>
 * Threading: each interface states which threads call which method; workers call the per-worker methods from
 * their own thread, the member's sync thread collects due intents.
 */
package org.intentgrid.spi;
