/**
 * The training framework shared by the apps: epochs over embedded or forked members, worker pools, progress
 * bars, JSON results and PNG plots of quality and locality over time. Each app implements
 * {@link org.intentgrid.samples.train.TrainingApp}.
 * <p>
 * Threading: one worker thread per {@code ParameterWorker}; the driver thread runs epochs and evaluation.
 */
package org.intentgrid.samples.train;
