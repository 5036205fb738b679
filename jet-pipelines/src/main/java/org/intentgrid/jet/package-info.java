/**
 * Hazelcast Jet integration of intentgrid: streaming training jobs with a look-ahead stage that signals
 * intents and a member-local service for pulls and pushes. Not built yet; the module exists so that the
 * build layout matches the design.
 */
package org.intentgrid.jet;
