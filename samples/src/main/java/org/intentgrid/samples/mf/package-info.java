/**
 * Matrix factorization: DSGD over a Latin-square block schedule with intents for row and column blocks, the
 * MatrixMarket reader and a planted low-rank generator.
 */
package org.intentgrid.samples.mf;
