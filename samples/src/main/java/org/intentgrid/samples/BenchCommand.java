package org.intentgrid.samples;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;

/** Benchmarks. They print tables and write JSON; they never judge a timing. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks (tables on stdout, JSON with --json).",
    subcommands = {BenchCommand.Local.class, RemoteBench.class, ZipfBench.class, SamplingBench.class,
        AppsBench.class, ScaleBench.class, org.intentgrid.samples.kge.StreamBench.class})
final class BenchCommand implements Runnable
{
    @Override
    public void run()
    {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "local", mixinStandardHelpOptions = true,
        description = "JMH: local pull+push per key vs a plain float[] copy, value lengths 16/64/256, with allocation.")
    static final class Local implements Runnable
    {
        @Option(names = "--json", defaultValue = "target/bench-local.json", description = "JMH JSON result file")
        File json;

        @Option(names = "--iterations", defaultValue = "5", description = "measurement iterations of 1 s")
        int iterations;

        @Override
        public void run()
        {
            try
            {
                new Runner(new OptionsBuilder()
                    .include(LocalAccessBenchmark.class.getName())
                    .forks(1)
                    .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(iterations).measurementTime(TimeValue.seconds(1))
                    .addProfiler("gc")
                    .jvmArgsAppend("-Djava.net.preferIPv4Stack=true")
                    .resultFormat(ResultFormatType.JSON).result(json.getPath())
                    .build()).run();
                System.out.println("JMH results written to " + json);
            }
            catch (final RunnerException e)
            {
                throw new IllegalStateException("JMH failed", e);
            }
        }
    }
}
