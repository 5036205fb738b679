package org.intentgrid.samples;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on standard error that cost nothing to create. The library's default consumer builds a jline
 * terminal for each bar and closes it with the bar's last one: 30–38 ms per bar when the output is a file or a pipe
 * (it probes for a system terminal first), paid by every epoch of a training run inside the epoch's time and on the
 * workers' cores. A plain console consumer of a fixed width renders a single bar the same way, with a carriage
 * return, and never looks for a terminal.
 */
public final class ProgressBars
{
    /** Characters a bar line may take: {@code COLUMNS} if the shell exports it, else this. */
    private static final int DEFAULT_WIDTH = 120;

    private ProgressBars()
    {
    }

    /** @return a builder for an ASCII bar named {@code task} counting to {@code max} on standard error */
    public static ProgressBarBuilder builder(final String task, final long max)
    {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(System.err, width()));
    }

    private static int width()
    {
        final String columns = System.getenv("COLUMNS");
        if (columns != null && columns.matches("[0-9]{2,4}"))
        {
            return Integer.parseInt(columns);
        }
        return DEFAULT_WIDTH;
    }
}
