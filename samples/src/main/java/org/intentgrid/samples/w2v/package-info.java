/**
 * Word vectors: skip-gram with negative sampling through the sampling API, the corpus reader and a generator of
 * text with planted groups of interchangeable words.
 */
package org.intentgrid.samples.w2v;
