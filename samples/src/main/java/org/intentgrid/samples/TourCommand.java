package org.intentgrid.samples;

import me.tongfei.progressbar.ProgressBar;
import org.intentgrid.GridConfig;
import org.intentgrid.GridMember;
import org.intentgrid.GridStats;
import org.intentgrid.Init;
import org.intentgrid.OpHandle;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tour of the mechanism: an embedded multi-member grid where every member's workers mostly touch "their" keys.
 * First the keys stay at their homes (the classic partitioned parameter server), then every member
 * localizes its working set explicitly, then the workers instead signal intents for the batches they will
 * use {@code --ahead} clocks later and let the grid relocate or replicate on its own. Every push adds
 * exactly 1 to element 0, so at the end the store must hold exactly as many units as were pushed.
 */
@Command(name = "tour", mixinStandardHelpOptions = true,
    description = "Embedded multi-member grid: concurrent workers push and pull, keys relocate, results are checked.")
final class TourCommand implements Runnable
{
    @Option(names = "--members", defaultValue = "3", description = "embedded members (default ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--workers", defaultValue = "2",
        description = "worker threads per member (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--keys", defaultValue = "30000", description = "keys in the table (default ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--dim", defaultValue = "16", description = "floats per key (default ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--batch", defaultValue = "32", description = "keys per pull/push (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--batches", defaultValue = "3000",
        description = "batches per worker and phase (default ${DEFAULT-VALUE})")
    int batches;

    @Option(names = "--ahead", defaultValue = "50",
        description = "clocks of look-ahead for intents (default ${DEFAULT-VALUE})")
    int ahead;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "write the results as JSON to this file")
    File json;

    @Override
    public void run()
    {
        System.out.printf("Starting %d embedded members on 127.0.0.1 ...%n", members);
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(members)))
        {
            final Table table = grid.table(TableSpec.of("embeddings", keys, dim).init(Init.normal(0, 0.1, seed)));
            System.out.printf("Declared table 'embeddings': %,d keys x %d floats, normal(0, 0.1) initial values%n%n",
                keys, dim);
            final double initialSum = sumOfElementZero(grid, table);
            final AtomicLong pushedUnits = new AtomicLong();
            final List<Map<String, Object>> phases = new ArrayList<>();

            phases.add(runPhase("1 classic (keys stay at their home)", grid, table, pushedUnits, false));

            final long start = System.nanoTime();
            for (int m = 0; m < members; m++)
            {
                try (ParameterWorker w = grid.member(m).worker())
                {
                    w.localize(table, workingSet(m)).await();
                }
            }
            final double localizeSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%nEach member localized its working set (%,d keys each) in %.2f s%n%n",
                workingSet(0).length, localizeSeconds);

            phases.add(runPhase("2 after localize (keys at their users)", grid, table, pushedUnits, false));
            phases.add(runPhase("3 intents " + ahead + " clocks ahead (adaptive)", grid, table, pushedUnits, true));

            printSummary(phases);
            printMembers(grid);
            // replicas ship their last updates within two completed sync rounds
            grid.waitSync();
            grid.waitSync();
            final double finalSum = sumOfElementZero(grid, table);
            final long found = Math.round(finalSum - initialSum);
            System.out.printf("%nExactly-once check: pushed %,d units in total, the store holds %,d more than " +
                "initially: %s%n", pushedUnits.get(), found, found == pushedUnits.get() ? "OK" : "MISMATCH");
            if (json != null)
            {
                final Map<String, Object> result = new LinkedHashMap<>();
                result.put("app", "tour");
                result.put("members", members);
                result.put("workers", workers);
                result.put("keys", keys);
                result.put("dim", dim);
                result.put("phases", phases);
                result.put("pushed_units", pushedUnits.get());
                result.put("found_units", found);
                Json.write(json, result);
                System.out.println("Results written to " + json);
            }
            if (found != pushedUnits.get())
            {
                throw new IllegalStateException("exactly-once check failed");
            }
            System.out.println("\nShutting down: each member hands its main copies to the others before it leaves.");
        }
    }

    /** Keys of member {@code m}: a contiguous third (for 3 members) of the key space. */
    private long[] workingSet(final int m)
    {
        final int per = keys / members;
        final long[] set = new long[per];
        for (int i = 0; i < per; i++)
        {
            set[i] = (long)m * per + i;
        }
        return set;
    }

    private Map<String, Object> runPhase(
        final String name, final ParameterGrid grid, final Table table, final AtomicLong pushedUnits,
        final boolean intents)
    {
        final GridStats before = grid.stats();
        final List<Thread> threads = new ArrayList<>();
        final long total = (long)members * workers * batches;
        final long start = System.nanoTime();
        try (ProgressBar bar = ProgressBars.builder("phase " + name.substring(0, 1), total).setUnit(" batches", 1)
            .setUpdateIntervalMillis(250).continuousUpdate().build())
        {
            for (int m = 0; m < members; m++)
            {
                final GridMember member = grid.member(m);
                final long[] mine = workingSet(m);
                for (int w = 0; w < workers; w++)
                {
                    final long threadSeed = seed * 1000 + m * 10 + w;
                    threads.add(new Thread(() -> work(member, table, mine, threadSeed, pushedUnits, bar, intents),
                        "tour-worker-" + m + "-" + w));
                }
            }
            threads.forEach(Thread::start);
            for (final Thread t : threads)
            {
                try
                {
                    t.join();
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final GridStats after = grid.stats();
        final long accessed = after.keysAccessed() - before.keysAccessed();
        final long local = after.keysLocal() - before.keysLocal();
        final Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("phase", name);
        phase.put("seconds", seconds);
        phase.put("batches_per_s", total / seconds);
        phase.put("keys_per_s", accessed / seconds);
        phase.put("local_share", accessed == 0 ? 1.0 : (double)local / accessed);
        phase.put("replica_share", accessed == 0 ? 0.0 :
            (double)(after.keysFromReplica() - before.keysFromReplica()) / accessed);
        phase.put("remote_ops", after.remoteOps() - before.remoteOps());
        phase.put("bytes_sent", after.bytesSent() - before.bytesSent());
        phase.put("relocations", after.relocationsIn() - before.relocationsIn());
        return phase;
    }

    /**
     * 90% of accesses to the member's own working set, 10% anywhere: pull a batch, push a unit update. With
     * intents, the batches are drawn {@code ahead} clocks early and announced with an intent for their clock.
     */
    private void work(
        final GridMember member, final Table table, final long[] mine, final long threadSeed,
        final AtomicLong pushedUnits, final ProgressBar bar, final boolean intents)
    {
        final SplittableRandom random = new SplittableRandom(threadSeed);
        final int ring = intents ? ahead + 1 : 1;
        final long[][] upcoming = new long[ring][batch];
        final float[] values = new float[batch * dim];
        final float[] update = new float[batch * dim];
        for (int i = 0; i < batch; i++)
        {
            update[i * dim] = 1f;
        }
        try (ParameterWorker worker = member.worker())
        {
            final long base = worker.clock();
            for (int c = 0; c < ring - 1; c++)
            {
                draw(random, mine, upcoming[c]);
                worker.intent(table, upcoming[c], base + c, base + c + 1);
            }
            OpHandle lastPush = OpHandle.DONE;
            for (int b = 0; b < batches; b++)
            {
                final long clock = base + b;
                if (intents)
                {
                    final long[] future = upcoming[(b + ring - 1) % ring];
                    draw(random, mine, future);
                    worker.intent(table, future, clock + ring - 1, clock + ring);
                }
                else
                {
                    draw(random, mine, upcoming[0]);
                }
                final long[] batchKeys = upcoming[b % ring];
                worker.pull(table, batchKeys, values).await();
                lastPush.await();
                lastPush = worker.push(table, batchKeys, update);
                pushedUnits.addAndGet(batch);
                worker.advanceClock();
                bar.step();
            }
            lastPush.await();
        }
    }

    private void draw(final SplittableRandom random, final long[] mine, final long[] out)
    {
        for (int i = 0; i < out.length; i++)
        {
            out[i] = random.nextInt(10) == 0 ? random.nextInt(keys) : mine[random.nextInt(mine.length)];
        }
    }

    private double sumOfElementZero(final ParameterGrid grid, final Table table)
    {
        final long[] all = new long[keys];
        for (int k = 0; k < keys; k++)
        {
            all[k] = k;
        }
        final float[] values = new float[keys * dim];
        try (ParameterWorker w = grid.worker())
        {
            w.pull(table, all, values).await();
        }
        double sum = 0;
        for (int k = 0; k < keys; k++)
        {
            sum += values[k * dim];
        }
        return sum;
    }

    private static void printSummary(final List<Map<String, Object>> phases)
    {
        System.out.printf("%n%-42s %9s %10s %11s %8s %8s %11s%n", "phase", "seconds", "batches/s", "keys/s",
            "local", "replica", "remote ops");
        for (final Map<String, Object> p : phases)
        {
            System.out.printf("%-42s %9.2f %10.0f %11.0f %7.1f%% %7.1f%% %11d%n", p.get("phase"), p.get("seconds"),
                p.get("batches_per_s"), p.get("keys_per_s"), 100 * (double)p.get("local_share"),
                100 * (double)p.get("replica_share"), p.get("remote_ops"));
        }
        final double classic = (double)phases.get(0).get("batches_per_s");
        System.out.printf("Throughput vs the classic phase: %.1fx after localize, %.1fx with intents%n",
            (double)phases.get(1).get("batches_per_s") / classic, (double)phases.get(2).get("batches_per_s") / classic);
    }

    private static void printMembers(final ParameterGrid grid)
    {
        System.out.println("\nPer member:");
        int i = 0;
        for (final GridMember member : grid.members())
        {
            System.out.printf("  member %d %s: %s%n", i++, member.id().toString().substring(0, 8), member.stats());
        }
    }
}
