/**
 * Hazelcast Jet integration of intentgrid: {@link org.intentgrid.jet.TrainingStage}, a streaming training stage
 * that signals intents for the items in its look-ahead window and trains without blocking a cooperative thread,
 * and {@link org.intentgrid.jet.GridWorkers}, grid workers as a Jet service for stages that only read or score.
 */
package org.intentgrid.jet;
