/**
 * The command-line launcher behind {@code bin/intentgrid}: the demo, the tour, the benchmark harness (local,
 * remote, zipf, sampling, apps) and a stand-alone member. Benchmarks print tables and write JSON; none of them
 * is a test.
 */
package org.intentgrid.samples;
