package org.intentgrid.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import org.agrona.UnsafeAccess;
import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.samples.train.Plots;
import org.intentgrid.samples.train.TrainingCheckpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Unsafe;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * One member, one table of N keys x D floats, for growing N: bulk creation rate, heap bytes per key, native bytes,
 * random local pull time against a plain native array of the same layout, and GC pauses under a random pull/push
 * load. Each configuration runs in its own JVM with {@code -Xmx1g} and no other memory flag, as a member would.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
    description = "One member, N keys x D floats for growing N, each in a fresh -Xmx1g JVM: creation keys/s, heap " +
        "bytes per key, off-heap bytes, random local pull ns vs a plain off-heap array (independent reads and " +
        "dependent ones), GC pauses under load.")
final class ScaleBench implements Runnable
{
    private static final Unsafe UNSAFE = UnsafeAccess.UNSAFE;
    private static final long FLOAT_BASE = UNSAFE.arrayBaseOffset(float[].class);
    private static final String RESULT = "RESULT ";
    private static final int PULLS = 2_000_000;
    private static final int BATCH_KEYS = 16;

    @Option(names = "--keys", defaultValue = "1000000,10000000,30000000", split = ",",
        description = "table sizes (default ${DEFAULT-VALUE})")
    List<Long> keys;

    @Option(names = "--dims", defaultValue = "16,64", split = ",",
        description = "floats per key (default ${DEFAULT-VALUE})")
    List<Integer> dims;

    @Option(names = "--seconds", defaultValue = "30",
        description = "seconds of random pull/push load per configuration, for the GC pauses (default " +
            "${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--max-gb", defaultValue = "12",
        description = "skip configurations whose values and slot headers would exceed this many GiB, so that the " +
            "plain baseline array fits next to them (default ${DEFAULT-VALUE})")
    double maxGb;

    @Option(names = "--checkpoint", description = "also time a checkpoint of the table, its restore and its .npy " +
        "export, in a temporary directory (needs disk space for twice the table)")
    boolean checkpoint;

    @Option(names = "--json", defaultValue = "target/bench-scale.json", description = "result file (PNG next to it)")
    File json;

    @Override
    public void run()
    {
        final List<Map<String, Object>> rows = new ArrayList<>();
        final List<Map<String, Object>> failures = new ArrayList<>();
        for (final int dim : dims)
        {
            for (final long n : keys)
            {
                final double gib = n * (32.0 + 4.0 * dim) / (1L << 30);
                if (gib > maxGb)
                {
                    System.out.printf("%n== %,d keys x %d floats: skipped (%.1f GiB > --max-gb %.1f) ==%n", n, dim,
                        gib, maxGb);
                    continue;
                }
                System.out.printf("%n== %,d keys x %d floats (%.1f GiB), fresh JVM -Xmx1g ==%n", n, dim, gib);
                final Map<String, Object> row = fork(n, dim);
                if (row.containsKey("failed"))
                {
                    failures.add(row);
                }
                else
                {
                    rows.add(row);
                }
            }
        }
        printTable(rows);
        if (checkpoint)
        {
            printCheckpointTable(rows);
        }
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "scale");
        result.put("member_jvm", "-Xmx1g");
        result.put("load_seconds", seconds);
        result.put("rows", rows);
        result.put("failed", failures);
        Json.write(json, result);
        final Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        for (final Map<String, Object> row : rows)
        {
            final String category = String.format("%,d x %d", (Long)row.get("keys"), (Integer)row.get("dim"));
            final Map<String, Double> byKind = new LinkedHashMap<>();
            byKind.put("intentgrid pull", (Double)row.get("pull_ns"));
            byKind.put("plain off-heap read", (Double)row.get("plain_ns"));
            byKind.put("intentgrid pull, 16 keys per call", (Double)row.get("pull_batch_ns"));
            byKind.put("intentgrid pull, dependent", (Double)row.get("pull_dependent_ns"));
            byKind.put("plain read, dependent", (Double)row.get("plain_dependent_ns"));
            byKind.put("plain read, slot layout", (Double)row.get("plain_slot_layout_ns"));
            bars.put(category, byKind);
        }
        final File png = new File(json.getPath().replaceAll("\\.json$", "") + ".png");
        if (Plots.bars(png, "Random local pull of one key vs table size", "keys x floats", "ns per key", bars))
        {
            System.out.println("Results written to " + json + " and " + png);
        }
        else
        {
            System.out.println("Results written to " + json);
        }
    }

    private Map<String, Object> fork(final long n, final int dim)
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(java, "-Xmx1g", "-Djava.net.preferIPv4Stack=true", "-cp",
            System.getProperty("java.class.path"), ScaleBench.class.getName(), String.valueOf(n), String.valueOf(dim),
            String.valueOf(seconds), String.valueOf(checkpoint));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        try
        {
            final Process process = builder.start();
            String result = null;
            try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                for (String line = out.readLine(); line != null; line = out.readLine())
                {
                    if (line.startsWith(RESULT))
                    {
                        result = line.substring(RESULT.length());
                    }
                    else
                    {
                        System.out.println("  " + line);
                    }
                }
            }
            final int exit = process.waitFor();
            if (exit != 0 || result == null)
            {
                System.out.printf("  the member JVM failed (exit %d); the configuration is reported as failed%n", exit);
                final Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("keys", n);
                failed.put("dim", dim);
                failed.put("failed", "exit " + exit);
                return failed;
            }
            @SuppressWarnings("unchecked")
            final Map<String, Object> row = new ObjectMapper().readValue(result, LinkedHashMap.class);
            row.put("keys", n);
            row.put("dim", dim);
            return row;
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot run the member JVM", e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void printTable(final List<Map<String, Object>> rows)
    {
        System.out.printf("%n%12s %5s %14s %10s %12s %9s %9s %7s %9s %7s %9s %9s %7s %9s %7s %9s %7s %10s %10s%n",
            "keys", "dim", "create keys/s", "heap B/key", "off-heap MB", "pull ns", "plain ns", "ratio", "pull x16",
            "ratio", "pull dep", "plain dep", "ratio", "slot ns", "ratio", "slot dep", "ratio", "GC p99 ms",
            "GC max ms");
        for (final Map<String, Object> row : rows)
        {
            final double pull = (Double)row.get("pull_ns");
            final double plain = (Double)row.get("plain_ns");
            final double pullDependent = (Double)row.get("pull_dependent_ns");
            final double plainDependent = (Double)row.get("plain_dependent_ns");
            final double pullBatch = (Double)row.get("pull_batch_ns");
            final double slot = (Double)row.get("plain_slot_layout_ns");
            final double slotDependent = (Double)row.get("plain_slot_layout_dependent_ns");
            System.out.printf("%,12d %5d %,14.0f %10.1f %,12d %9.1f %9.1f %6.2fx %9.1f %6.2fx %9.1f %9.1f %6.2fx " +
                "%9.1f %6.2fx %9.1f %6.2fx %10.1f %10.1f%n", (Long)row.get("keys"), (Integer)row.get("dim"),
                (Double)row.get("create_keys_per_s"), (Double)row.get("heap_bytes_per_key"),
                ((Number)row.get("offheap_bytes")).longValue() >> 20, pull, plain, pull / plain, pullBatch,
                pullBatch / plain, pullDependent, plainDependent, pullDependent / plainDependent, slot, pull / slot,
                slotDependent, pullDependent / slotDependent, (Double)row.get("gc_pause_p99_ms"),
                (Double)row.get("gc_pause_max_ms"));
        }
        System.out.println("(ratio: intentgrid's pull over the plain read to its left; slot: a plain array laid out " +
            "as the grid's slots, header and value)");
    }

    private static void printCheckpointTable(final List<Map<String, Object>> rows)
    {
        System.out.printf("%n%12s %5s %10s %13s %10s %10s %10s%n", "keys", "dim", "size MB", "checkpoint s",
            "MB/s", "restore s", "export s");
        for (final Map<String, Object> row : rows)
        {
            final double megabytes = ((Number)row.get("checkpoint_bytes")).longValue() / 1e6;
            final double seconds = (Double)row.get("checkpoint_s");
            System.out.printf("%,12d %5d %,10.0f %13.1f %,10.0f %10.1f %10.1f%n", (Long)row.get("keys"),
                (Integer)row.get("dim"), megabytes, seconds, megabytes / seconds, (Double)row.get("restore_s"),
                (Double)row.get("export_s"));
        }
    }

    /** One configuration in this (forked) JVM: prints progress lines, then {@code RESULT <json>}. */
    public static void main(final String[] args) throws Exception
    {
        IntentGridCli.quietHazelcast();
        final long n = Long.parseLong(args[0]);
        final int dim = Integer.parseInt(args[1]);
        final double seconds = Double.parseDouble(args[2]);
        final boolean checkpoint = args.length > 3 && Boolean.parseBoolean(args[3]);
        final Map<String, Object> row = new LinkedHashMap<>();
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(1));
            ParameterWorker worker = grid.worker())
        {
            final long heapBefore = usedHeapAfterGc();
            final TableSpec spec = TableSpec.of("scale", n, dim).init(Init.zeros());
            final Table table = grid.table(spec);
            final long start = System.nanoTime();
            grid.materializeAll(table);
            final double createSeconds = (System.nanoTime() - start) / 1e9;
            row.put("create_keys_per_s", n / createSeconds);
            row.put("heap_bytes_per_key", (double)(usedHeapAfterGc() - heapBefore) / n);
            row.put("offheap_bytes", grid.member(0).offHeapBytes());
            System.out.printf("created %,d keys in %.1f s%n", n, createSeconds);
            row.put("pull_ns", pullNanos(worker, table, n, dim, false));
            row.put("pull_dependent_ns", pullNanos(worker, table, n, dim, true));
            row.put("pull_batch_ns", pullBatchNanos(worker, table, n, dim));
            final double[] plain = plainNanos(n, dim, (long)dim * Float.BYTES, 0);
            row.put("plain_ns", plain[0]);
            row.put("plain_dependent_ns", plain[1]);
            final long slotBytes = spec.nativeBytesPerKey();
            final double[] sameLayout = plainNanos(n, dim, slotBytes, (slotBytes - (long)dim * Float.BYTES) & ~7L);
            row.put("plain_slot_layout_ns", sameLayout[0]);
            row.put("plain_slot_layout_dependent_ns", sameLayout[1]);
            final List<Double> pauses = new ArrayList<>();
            listenToGcPauses(pauses);
            final long pushed = load(worker, table, n, dim, seconds);
            row.put("load_pull_push_per_s", pushed / seconds);
            final double[] sorted;
            synchronized (pauses)
            {
                sorted = pauses.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            }
            row.put("gc_pauses", sorted.length);
            row.put("gc_pause_p99_ms", sorted.length == 0 ? 0.0 :
                sorted[Math.min(sorted.length - 1, (int)Math.ceil(sorted.length * 0.99) - 1)]);
            row.put("gc_pause_max_ms", sorted.length == 0 ? 0.0 : sorted[sorted.length - 1]);
            if (checkpoint)
            {
                timeCheckpoint(grid, table, row);
            }
        }
        System.out.println(RESULT + new ObjectMapper().writeValueAsString(row));
    }

    /** Checkpoint, restore (into the same member, every key set again) and .npy export, each timed. */
    private static void timeCheckpoint(final ParameterGrid grid, final Table table, final Map<String, Object> row)
        throws IOException
    {
        final Path dir = Files.createTempDirectory("intentgrid-bench-checkpoint");
        try
        {
            long start = System.nanoTime();
            grid.checkpoint(dir.resolve("checkpoint"));
            row.put("checkpoint_s", (System.nanoTime() - start) / 1e9);
            row.put("checkpoint_bytes", directoryBytes(dir));
            System.out.printf("checkpoint written in %.1f s%n", (double)row.get("checkpoint_s"));
            start = System.nanoTime();
            grid.restore(dir.resolve("checkpoint"));
            row.put("restore_s", (System.nanoTime() - start) / 1e9);
            System.out.printf("restored in %.1f s%n", (double)row.get("restore_s"));
            start = System.nanoTime();
            grid.export(table, dir.resolve("table.npy"));
            row.put("export_s", (System.nanoTime() - start) / 1e9);
            System.out.printf("exported in %.1f s%n", (double)row.get("export_s"));
        }
        finally
        {
            TrainingCheckpoints.deleteTree(dir);
        }
    }

    private static long directoryBytes(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double pullNanos(
        final ParameterWorker worker, final Table table, final long n, final int dim, final boolean dependent)
    {
        final long[] key = new long[1];
        final float[] value = new float[dim];
        return bestNanosPerRead(n, k ->
        {
            key[0] = k;
            worker.pull(table, key, value);
            return value[0];
        }, dependent);
    }

    /**
     * Random keys pulled {@value #BATCH_KEYS} per call, as a training step pulls the keys of its examples together:
     * ns per key. The keys of a call are independent, so the CPU may overlap their cache misses.
     */
    private static double pullBatchNanos(final ParameterWorker worker, final Table table, final long n, final int dim)
    {
        final long[] keys = new long[BATCH_KEYS];
        final float[] values = new float[BATCH_KEYS * dim];
        final SplittableRandom random = new SplittableRandom(1);
        float sink = 0;
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++)
        {
            final long start = System.nanoTime();
            for (int i = 0; i < PULLS; i += BATCH_KEYS)
            {
                for (int k = 0; k < BATCH_KEYS; k++)
                {
                    keys[k] = random.nextLong(n);
                }
                worker.pull(table, keys, values);
                sink += values[0];
            }
            best = Math.min(best, System.nanoTime() - start);
        }
        return best / (double)PULLS + (sink == 1 ? 1e-9 : 0);
    }

    /**
     * The same random reads from one plain native array of {@code n} keys, independent and dependent: what a
     * lookup-free store costs. Dense ({@code stride} the value's bytes, {@code valueOffset} 0) or laid out as the
     * grid's slots ({@code stride} a slot's bytes, the value after its header), which tells the lookup's cost apart
     * from the header's extra cache lines.
     */
    private static double[] plainNanos(final long n, final int dim, final long stride, final long valueOffset)
    {
        final long bytes = n * stride;
        final long base = UNSAFE.allocateMemory(bytes);
        try
        {
            UNSAFE.setMemory(base, bytes, (byte)0);
            final float[] value = new float[dim];
            final RandomRead read = k ->
            {
                UNSAFE.copyMemory(null, base + k * stride + valueOffset, value, FLOAT_BASE, (long)dim * Float.BYTES);
                return value[0];
            };
            return new double[] {bestNanosPerRead(n, read, false), bestNanosPerRead(n, read, true)};
        }
        finally
        {
            UNSAFE.freeMemory(base);
        }
    }

    /** One random read of key {@code key}, returning an element so that the read cannot be optimized away. */
    @FunctionalInterface
    private interface RandomRead
    {
        float read(long key);
    }

    /**
     * @param dependent whether each key waits for the previous read's value (latency: how a read chain behaves), or
     *                  the reads are independent and the CPU may overlap their cache misses (throughput)
     * @return the best of three rounds of {@link #PULLS} reads of random keys below {@code n}, in ns per read
     */
    private static double bestNanosPerRead(final long n, final RandomRead read, final boolean dependent)
    {
        final SplittableRandom random = new SplittableRandom(1);
        float sink = 0;
        float last = 0;
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++)
        {
            final long start = System.nanoTime();
            for (int i = 0; i < PULLS; i++)
            {
                // last * 0 is 0 for the finite values stored here, but the compiler and the CPU cannot know it
                last = read.read(random.nextLong(n) + (dependent ? (long)(last * 0f) : 0));
                sink += last;
            }
            best = Math.min(best, System.nanoTime() - start);
        }
        return best / (double)PULLS + (sink == 1 ? 1e-9 : 0);
    }

    private static void listenToGcPauses(final List<Double> pauses)
    {
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            ((NotificationEmitter)gc).addNotificationListener((notification, handback) ->
            {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType()))
                {
                    final GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData)notification.getUserData());
                    synchronized (pauses)
                    {
                        pauses.add((double)info.getGcInfo().getDuration());
                    }
                }
            }, null, null);
        }
    }

    /** Random single-key pull and push for {@code seconds}, as training touches parameters. */
    private static long load(
        final ParameterWorker worker, final Table table, final long n, final int dim, final double seconds)
    {
        System.out.printf("random pull/push for %.0f s%n", seconds);
        final SplittableRandom random = new SplittableRandom(2);
        final long[] key = new long[1];
        final float[] value = new float[dim];
        final float[] update = new float[dim];
        Arrays.fill(update, 1e-3f);
        final long end = System.nanoTime() + (long)(seconds * 1e9);
        long done = 0;
        while (System.nanoTime() < end)
        {
            for (int i = 0; i < 1000; i++)
            {
                key[0] = random.nextLong(n);
                worker.pull(table, key, value);
                worker.push(table, key, update);
            }
            done += 1000;
        }
        return done;
    }
}
