/**
 * The adaptive policy of intentgrid: intent queues, worker clocks, the action timer and the
 * relocate-or-replicate decision, plugged into {@code grid-plugin} through a service interface.
 * Not built yet (see the project's issue on intent signaling); the module exists so that the build
 * layout matches the design.
 */
package org.intentgrid.intent;
