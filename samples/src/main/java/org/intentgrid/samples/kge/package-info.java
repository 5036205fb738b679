/**
 * Knowledge graph embeddings: ComplEx, DistMult or RESCAL trained with sampled negatives through the sampling API
 * and intents signalled ahead, filtered link-prediction evaluation, the triple reader and a clustered-graph
 * generator.
 */
package org.intentgrid.samples.kge;
