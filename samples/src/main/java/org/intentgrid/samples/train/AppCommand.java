package org.intentgrid.samples.train;

/** A training command: how a member JVM rebuilds the same app from the same command line (see {@link AppRecipe}). */
public interface AppCommand
{
    /** @return the app for the parsed options (reads or generates the data) */
    TrainingApp app();
}
