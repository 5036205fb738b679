package org.intentgrid.samples.train;

import picocli.CommandLine.Model.CommandSpec;

/** A training command: how a member JVM rebuilds the same app from the same command line (see {@link AppRecipe}). */
public interface AppCommand
{
    /** @return the app for the parsed options (reads or generates the data) */
    TrainingApp app();

    /** @return the parsed options every app shares */
    TrainOptions options();

    /**
     * Trains the command's app with {@code options} and writes the summary, JSON and plots.
     *
     * @return the exit code
     */
    static int trainAndReport(final AppCommand command, final TrainOptions options, final CommandSpec spec,
        final String app)
    {
        final TrainingResult result = new Trainer(command.app(), options,
            AppRecipe.of(command, spec.commandLine().getParseResult().originalArgs())).run();
        Reports.write(result, options.jsonFile(app));
        return 0;
    }
}
