package org.intentgrid.samples.train;

import picocli.CommandLine;

import java.io.Serializable;
import java.util.List;

/**
 * How to build a run's app again in another JVM: the command class and its original arguments. Data is read from
 * the same paths or generated from the same seed, so every member trains the same app.
 */
public final class AppRecipe implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final String commandClass;
    private final String[] args;

    private AppRecipe(final String commandClass, final String[] args)
    {
        this.commandClass = commandClass;
        this.args = args;
    }

    /** @return the recipe of a command parsed from {@code args} */
    public static AppRecipe of(final AppCommand command, final List<String> args)
    {
        return new AppRecipe(command.getClass().getName(), args.toArray(new String[0]));
    }

    /** @return the app, built as the original command built it */
    TrainingApp build()
    {
        try
        {
            final AppCommand command = (AppCommand)Class.forName(commandClass).getDeclaredConstructor().newInstance();
            // The original arguments may start with the sub-command's name ("kge", "demo"): not an option, ignored.
            new CommandLine(command).setUnmatchedArgumentsAllowed(true).parseArgs(args);
            return command.app();
        }
        catch (final ReflectiveOperationException e)
        {
            throw new IllegalStateException("cannot rebuild the app " + commandClass, e);
        }
    }
}
