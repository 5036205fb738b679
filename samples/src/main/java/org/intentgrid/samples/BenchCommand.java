package org.intentgrid.samples;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

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
        description = "JMH: local pull+push per key vs a plain float[] copy, with and without a lock per stripe, " +
            "keys in order and shuffled, value lengths 16/64/256, with allocation; a table of the ratios.")
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
                final Collection<RunResult> results = new Runner(new OptionsBuilder()
                    .include(LocalAccessBenchmark.class.getName())
                    .forks(1)
                    .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(iterations).measurementTime(TimeValue.seconds(1))
                    .addProfiler("gc")
                    .jvmArgsAppend("-Djava.net.preferIPv4Stack=true")
                    .resultFormat(ResultFormatType.JSON).result(json.getPath())
                    .build()).run();
                printRatios(results);
                System.out.println("JMH results written to " + json);
            }
            catch (final RunnerException e)
            {
                throw new IllegalStateException("JMH failed", e);
            }
        }

        /**
         * The grid against the plain copy (issue 10's target: at most 3x), against the same copy under a lock per
         * stripe (what per-key atomicity costs by itself), and both with the keys in random order.
         */
        private static void printRatios(final Collection<RunResult> results)
        {
            final Map<String, Double> nanos = new HashMap<>();
            for (final RunResult result : results)
            {
                final BenchmarkParams params = result.getParams();
                final String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
                nanos.put(method + "/" + params.getParam("valueLength") + "/" + params.getParam("finiteCheck"),
                    result.getPrimaryResult().getScore());
            }
            System.out.printf("%n%-7s %-6s %9s %9s %7s %9s %7s %13s %13s %7s%n", "floats", "check", "grid ns",
                "plain ns", "ratio", "locked ns", "ratio", "grid shuffled", "plain shuffl.", "ratio");
            for (final String length : new String[] {"16", "64", "256"})
            {
                for (final String check : new String[] {"true", "false"})
                {
                    final String suffix = "/" + length + "/" + check;
                    final Double grid = nanos.get("gridPullPush" + suffix);
                    final Double plain = nanos.get("plainArrayCopyAdd" + suffix);
                    final Double locked = nanos.get("lockedArrayCopyAdd" + suffix);
                    final Double gridShuffled = nanos.get("gridPullPushShuffled" + suffix);
                    final Double plainShuffled = nanos.get("plainArrayCopyAddShuffled" + suffix);
                    if (grid == null || plain == null || locked == null || gridShuffled == null ||
                        plainShuffled == null)
                    {
                        continue;
                    }
                    System.out.printf("%-7s %-6s %9.1f %9.1f %6.1fx %9.1f %6.1fx %13.1f %13.1f %6.1fx%n", length,
                        check, grid, plain, grid / plain, locked, grid / locked, gridShuffled, plainShuffled,
                        gridShuffled / plainShuffled);
                }
            }
        }
    }
}
