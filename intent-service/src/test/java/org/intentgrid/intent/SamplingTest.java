package org.intentgrid.intent;

import org.intentgrid.GridMember;
import org.intentgrid.KeyDistribution;
import org.intentgrid.OpHandle;
import org.intentgrid.ParameterGrid;
import org.intentgrid.ParameterWorker;
import org.intentgrid.SampleHandle;
import org.intentgrid.Sampling;
import org.intentgrid.SamplingScheme;
import org.intentgrid.SamplingStats;
import org.intentgrid.Table;
import org.intentgrid.TableSpec;
import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The sampling schemes on 3 members with 2 workers each, after the reference's sampling test: every value
 * handed out is the key's current value while keys move, samples without replacement are distinct, and
 * sampling frequencies follow the distribution (a chi-square bound; for {@code pool}, counts are
 * {@code reuse} times a multinomial). {@code pool} really reuses its pool; {@code local} returns only local
 * keys and falls back to a remote key, counted, when none is local.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SamplingTest
{
    private static final int KEYS = 1000;
    private static final int LENGTH = 5;
    private static final int MEMBERS = 3;
    private static final int WORKERS = 2;
    private static final int AHEAD = 50;

    private static ParameterGrid grid;

    @BeforeAll
    static void start()
    {
        grid = Grids.start(MEMBERS, Mode.ADAPTIVE);
    }

    @AfterAll
    static void stop()
    {
        grid.close();
    }

    /** A table whose key k holds {@code k * 100 + j} at element j, set by one worker. */
    private static Table valueTable(final String name)
    {
        final Table table = grid.table(TableSpec.of(name, KEYS, LENGTH));
        final long[] keys = new long[KEYS];
        final float[] values = new float[KEYS * LENGTH];
        for (int k = 0; k < KEYS; k++)
        {
            keys[k] = k;
            for (int j = 0; j < LENGTH; j++)
            {
                values[k * LENGTH + j] = k * 100 + j;
            }
        }
        try (ParameterWorker w = grid.worker())
        {
            w.set(table, keys, values).await();
        }
        return table;
    }

    @Test
    void naiveFollowsUniform()
    {
        final double[] p = new double[KEYS];
        java.util.Arrays.fill(p, 1.0 / KEYS);
        checkFrequencies("naive-uniform", KeyDistribution.uniform(0, KEYS), p, SamplingScheme.NAIVE, 1);
    }

    @Test
    void prelocFollowsZipf()
    {
        checkFrequencies("preloc-zipf", KeyDistribution.zipf(0, KEYS, 1.1), zipf(1.1), SamplingScheme.PRELOC, 1);
    }

    @Test
    void poolFollowsLogUniformTimesReuse()
    {
        final double[] p = new double[KEYS];
        for (int i = 0; i < KEYS; i++)
        {
            p[i] = Math.log((i + 2.0) / (i + 1.0)) / Math.log(KEYS + 1.0);
        }
        checkFrequencies("pool-loguniform", KeyDistribution.logUniform(0, KEYS), p, SamplingScheme.POOL, 3);
    }

    @Test
    void withoutReplacementSamplesAreDistinct()
    {
        for (final SamplingScheme scheme : SamplingScheme.values())
        {
            final Table table = valueTable("distinct-" + scheme.label());
            grid.enableSampling(table, Sampling.of(KeyDistribution.zipf(0, KEYS, 1.3)).scheme(scheme)
                .withReplacement(false).poolSize(40).seed(7));
            final AtomicLongArray counts = new AtomicLongArray(KEYS);
            runWorkers(table, 300, 20, counts, true);
            assertEquals(MEMBERS * WORKERS * 300L * 20, grid.samplingStats(table).samplesPulled(), scheme.label());
        }
    }

    @Test
    void localReturnsOnlyLocalKeysAndFallsBackWhenNoneIs()
    {
        final Table table = valueTable("local-only");
        grid.enableSampling(table, Sampling.of(KeyDistribution.uniform(0, KEYS)).scheme(SamplingScheme.LOCAL).seed(3));
        final AtomicLongArray counts = new AtomicLongArray(KEYS);
        final List<long[]> pulledPerMember = runWorkers(table, 400, 5, counts, false);
        for (int m = 0; m < MEMBERS; m++)
        {
            final GridMember member = grid.member(m);
            final SamplingStats stats = member.samplingStats(table);
            long notLocal = 0;
            for (final long key : pulledPerMember.get(m))
            {
                notLocal += member.isLocal(table, key) ? 0 : 1;
            }
            assertEquals(stats.fallbacks(), notLocal, "every returned key was local unless it was a fallback");
            assertEquals(stats.samplesPulled(), stats.samplesLocal() + stats.fallbacks());
            assertTrue(stats.checksPerSample() > 1.5, "about two of three candidates are remote: " + stats);
            final long[] localCounts = new long[KEYS];
            final double[] p = new double[KEYS];
            long localKeys = 0;
            for (int k = 0; k < KEYS; k++)
            {
                localKeys += member.isLocal(table, k) ? 1 : 0;
            }
            for (final long key : pulledPerMember.get(m))
            {
                localCounts[(int)key]++;
            }
            for (int k = 0; k < KEYS; k++)
            {
                p[k] = member.isLocal(table, k) ? 1.0 / localKeys : 0;
            }
            assertChiSquare("local on member " + m, localCounts, p, 1);
        }

        // A distribution over keys none of which is local on member 0: every sample there falls back.
        final Table remoteOnly = valueTable("local-fallback");
        final long[] elsewhere = keysNotLocalOn(grid.member(0), remoteOnly);
        grid.enableSampling(remoteOnly, Sampling.of(new ArrayDistribution(elsewhere)).scheme(SamplingScheme.LOCAL)
            .localChecks(8));
        try (ParameterWorker w = grid.member(0).worker())
        {
            final SampleHandle sample = w.prepareSample(remoteOnly, 30, 0, 1);
            final long[] keys = new long[30];
            final float[] values = new float[30 * LENGTH];
            final OpHandle handle = w.pullSample(sample, keys, values);
            assertNotEquals(OpHandle.DONE, handle, "fallback keys are pulled remotely");
            handle.await();
            checkValues(keys, values);
            w.finishSample(sample);
        }
        final SamplingStats stats = grid.member(0).samplingStats(remoteOnly);
        assertEquals(30, stats.fallbacks(), stats.toString());
        assertEquals(0, stats.samplesLocal(), stats.toString());
        assertEquals(8.0, stats.checksPerSample(), 1e-9, "each sample gave up after localChecks candidates");
    }

    @Test
    void localScanReturnsTheFirstUnusedLocalKeysAtOrAboveTheDrawnOneWrappingAround()
    {
        final Table table = valueTable("local-scan");
        final GridMember member = grid.member(1);
        final long[] remote = keysNotLocalOn(member, table);
        final long start = remote[remote.length - 1];
        final long[] expected = new long[3];
        long checks = 0;
        int found = 0;
        for (long k = start; found < expected.length; k = (k + 1) % KEYS)
        {
            if (member.isLocal(table, k))
            {
                expected[found++] = k;
                checks += (k - start + KEYS) % KEYS + 1;
            }
        }
        member.enableSampling(table, Sampling.of(new ArrayDistribution(new long[] {start}))
            .scheme(SamplingScheme.LOCAL).localScan(true).withReplacement(false));
        try (ParameterWorker w = member.worker())
        {
            final SampleHandle sample = w.prepareSample(table, expected.length, 0, 1);
            final long[] keys = new long[expected.length];
            final float[] values = new float[expected.length * LENGTH];
            assertEquals(OpHandle.DONE, w.pullSample(sample, keys, values), "every key was local");
            w.finishSample(sample);
            assertArrayEquals(expected, keys, "drawn " + start + " (remote), the first local keys from there on");
            checkValues(keys, values);
        }
        final SamplingStats stats = member.samplingStats(table);
        assertEquals(0, stats.fallbacks(), stats.toString());
        assertEquals((double)checks / expected.length, stats.checksPerSample(), 1e-9,
            "one check per key from the drawn one up to each returned one, used ones included");
    }

    @Test
    void badInputIsRejectedAndChangesNothing()
    {
        final Table table = valueTable("sampling-bad-input");
        final Table plain = valueTable("sampling-not-enabled");
        rejected(IllegalArgumentException.class, () -> KeyDistribution.uniform(5, 5), "[5, 5)", "empty");
        rejected(IllegalArgumentException.class, () -> KeyDistribution.zipf(0, 10, 0), "exponent");
        rejected(IllegalArgumentException.class, () -> grid.enableSampling(table,
            Sampling.of(KeyDistribution.uniform(0, KEYS + 1))), "[0, 1001)", "[0, 1000)");
        rejected(IllegalArgumentException.class, () -> grid.enableSampling(table,
            Sampling.of(KeyDistribution.uniform(0, 10)).scheme(SamplingScheme.POOL).poolSize(11)
                .withReplacement(false)), "poolSize <= 10");
        grid.enableSampling(table, Sampling.of(KeyDistribution.uniform(0, 100)).scheme(SamplingScheme.NAIVE)
            .withReplacement(false));
        try (ParameterWorker w = grid.member(1).worker(); ParameterWorker other = grid.member(1).worker())
        {
            rejected(IllegalStateException.class, () -> w.prepareSample(plain, 3, 0, 1), "sampling-not-enabled",
                "not enabled");
            rejected(IllegalArgumentException.class, () -> w.prepareSample(table, 0, 0, 1), "sample size 0", "n >= 1");
            rejected(IllegalArgumentException.class, () -> w.prepareSample(table, 3, 5, 5), "[5, 5)");
            rejected(IllegalArgumentException.class, () -> w.prepareSample(table, 101, 0, 1), "n <= 100");
            final SampleHandle sample = w.prepareSample(table, 4, 0, 1);
            final SamplingStats before = grid.member(1).samplingStats(table);
            rejected(IllegalArgumentException.class, () -> w.pullSample(sample, new long[5], new float[5 * LENGTH]),
                "5 keys requested", "4 left");
            rejected(IllegalArgumentException.class, () -> w.pullSample(sample, new long[2], new float[2 * LENGTH + 1]),
                "length 11", "expected 2 keys x 5 floats = 10");
            rejected(IllegalArgumentException.class, () -> other.pullSample(sample, new long[1], new float[LENGTH]),
                "not a sample of this worker");
            rejected(IllegalArgumentException.class, () -> other.finishSample(sample), "not a sample of this worker");
            rejected(IllegalArgumentException.class, () -> w.pullSample(sample, new long[8], 5, new float[8 * LENGTH]),
                "5 keys requested", "4 left");
            rejected(IllegalArgumentException.class, () -> w.pullSample(sample, new long[2], 3, new float[3 * LENGTH]),
                "count 3", "0 <= count <= 2");
            rejected(IllegalArgumentException.class, () -> w.pullSample(sample, new long[4], 2, new float[LENGTH]),
                "length 5", "at least 2 keys x 5 floats = 10");
            assertEquals(4, sample.remaining(), "rejected pulls took nothing");
            assertEquals(before.samplesPulled(), grid.member(1).samplingStats(table).samplesPulled());
            final long[] keys = new long[6];
            final float[] values = new float[6 * LENGTH];
            java.util.Arrays.fill(keys, -1);
            w.pullSample(sample, keys, 3, values).await();
            w.pullSample(sample, new long[1], new float[LENGTH]).await();
            assertEquals(0, sample.remaining(), "a counted pull takes its count, the plain one the rest");
            assertEquals(-1, keys[3], "the keys buffer past the count is left alone");
            final long[] counted = java.util.Arrays.copyOf(keys, 3);
            checkValues(counted, java.util.Arrays.copyOf(values, 3 * LENGTH));
            assertEquals(3, java.util.Arrays.stream(counted).distinct().count());
            w.finishSample(sample);
            rejected(IllegalStateException.class, () -> w.pullSample(sample, new long[0], new float[0]), "finished");
            rejected(IllegalStateException.class, () -> w.finishSample(sample), "finished");
        }
    }

    private static void rejected(final Class<? extends RuntimeException> type, final Executable call,
        final String... mentions)
    {
        final RuntimeException e = assertThrows(type, call);
        for (final String mention : mentions)
        {
            assertTrue(e.getMessage().contains(mention), () -> "message '" + e.getMessage() + "' mentions " + mention);
        }
    }

    /**
     * Runs {@code samples} samples of {@code size} keys per worker, prepared {@link #AHEAD} clocks ahead and
     * pulled in random chunks, checking values (and distinctness) and counting keys.
     *
     * @return the keys pulled on each member
     */
    private static List<long[]> runWorkers(
        final Table table, final int samples, final int size, final AtomicLongArray counts, final boolean distinct)
    {
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();
        final long[][] pulled = new long[MEMBERS * WORKERS][samples * size];
        for (int t = 0; t < MEMBERS * WORKERS; t++)
        {
            final int id = t;
            final GridMember member = grid.member(t / WORKERS);
            final Thread thread = new Thread(() ->
            {
                try (ParameterWorker w = member.worker())
                {
                    runWorker(w, table, samples, size, counts, distinct, new Random(1000 + id), pulled[id]);
                }
                catch (final Throwable e)
                {
                    failures.add(e);
                }
            }, "sampler-" + t);
            threads.add(thread);
            thread.start();
        }
        for (final Thread thread : threads)
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                fail(e);
            }
        }
        if (!failures.isEmpty())
        {
            fail(failures.peek());
        }
        final List<long[]> perMember = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++)
        {
            final long[] keys = new long[WORKERS * samples * size];
            for (int w = 0; w < WORKERS; w++)
            {
                System.arraycopy(pulled[m * WORKERS + w], 0, keys, w * samples * size, samples * size);
            }
            perMember.add(keys);
        }
        return perMember;
    }

    private static void runWorker(
        final ParameterWorker w, final Table table, final int samples, final int size, final AtomicLongArray counts,
        final boolean distinct, final Random random, final long[] pulled)
    {
        final SampleHandle[] ahead = new SampleHandle[AHEAD];
        int out = 0;
        for (int step = 0; step < samples + AHEAD; step++)
        {
            final int slot = step % AHEAD;
            if (ahead[slot] != null)
            {
                final SampleHandle sample = ahead[slot];
                final long[] all = new long[size];
                int filled = 0;
                while (filled < size)
                {
                    final int chunk = 1 + random.nextInt(size - filled);
                    final long[] keys = new long[chunk];
                    final float[] values = new float[chunk * LENGTH];
                    w.pullSample(sample, keys, values).await();
                    checkValues(keys, values);
                    System.arraycopy(keys, 0, all, filled, chunk);
                    filled += chunk;
                }
                w.finishSample(sample);
                if (distinct)
                {
                    assertEquals(size, java.util.Arrays.stream(all).distinct().count(),
                        "keys of one sample without replacement are distinct: " + java.util.Arrays.toString(all));
                }
                for (final long key : all)
                {
                    counts.incrementAndGet((int)key);
                    pulled[out++] = key;
                }
                ahead[slot] = null;
            }
            if (step < samples)
            {
                ahead[slot] = w.prepareSample(table, size, w.clock() + AHEAD, w.clock() + AHEAD + 1);
            }
            w.advanceClock();
        }
    }

    private static void checkFrequencies(
        final String name, final KeyDistribution distribution, final double[] p, final SamplingScheme scheme,
        final int reuse)
    {
        final Table table = valueTable(name);
        final Sampling sampling = Sampling.of(distribution).scheme(scheme).reuse(reuse).poolSize(250).seed(11);
        grid.enableSampling(table, sampling);
        final AtomicLongArray counts = new AtomicLongArray(KEYS);
        final int size = 5 * reuse;
        final int samples = 1000;
        runWorkers(table, samples, size, counts, false);
        final long[] observed = new long[KEYS];
        for (int k = 0; k < KEYS; k++)
        {
            observed[k] = counts.get(k);
        }
        final SamplingStats stats = grid.samplingStats(table);
        assertEquals((long)MEMBERS * WORKERS * samples * size, stats.samplesPulled(), stats.toString());
        assertEquals(stats.samplesPrepared(), stats.samplesPulled());
        assertChiSquare(name, observed, p, reuse);
        if (scheme == SamplingScheme.POOL)
        {
            final long perMember = (long)WORKERS * samples * size;
            assertEquals(0, perMember % (250L * reuse), "test set-up: members use whole pools");
            for (final GridMember member : grid.members())
            {
                assertEquals(perMember / (250L * reuse), member.samplingStats(table).poolRefreshes(),
                    "each pool was handed out reuse times before it was redrawn");
            }
            for (int k = 0; k < KEYS; k++)
            {
                assertEquals(0, observed[k] % reuse, "key " + k + " was handed out a multiple of reuse times");
            }
        }
        if (scheme == SamplingScheme.PRELOC || scheme == SamplingScheme.POOL)
        {
            assertTrue(stats.localShare() > 0.5, "intents made most sampled keys local: " + stats);
        }
    }

    /**
     * Pearson's chi-square of {@code observed / reuse} against {@code p}, cells with expected count below 5
     * merged, bounded by {@code df + 6 sqrt(2 df)} (a tail probability far below one in a million).
     */
    private static void assertChiSquare(final String name, final long[] observed, final double[] p, final int reuse)
    {
        long total = 0;
        for (final long count : observed)
        {
            total += count / reuse;
        }
        double chi = 0;
        int cells = 0;
        double pendingExpected = 0;
        double pendingObserved = 0;
        for (int k = 0; k < observed.length; k++)
        {
            if (p[k] == 0)
            {
                assertEquals(0, observed[k], name + ": key " + k + " has probability 0 but was sampled");
                continue;
            }
            pendingExpected += p[k] * total;
            pendingObserved += (double)observed[k] / reuse;
            if (pendingExpected >= 5)
            {
                chi += (pendingObserved - pendingExpected) * (pendingObserved - pendingExpected) / pendingExpected;
                cells++;
                pendingExpected = 0;
                pendingObserved = 0;
            }
        }
        if (pendingExpected > 0)
        {
            chi += (pendingObserved - pendingExpected) * (pendingObserved - pendingExpected) / pendingExpected;
            cells++;
        }
        final int df = cells - 1;
        final double bound = df + 6 * Math.sqrt(2.0 * df);
        assertTrue(df >= 20, name + ": enough cells for the test (" + cells + ")");
        assertTrue(chi < bound, name + ": chi-square " + chi + " exceeds " + bound + " (" + df + " df)");
    }

    private static double[] zipf(final double exponent)
    {
        final double[] p = new double[KEYS];
        double sum = 0;
        for (int i = 0; i < KEYS; i++)
        {
            p[i] = Math.pow(i + 1, -exponent);
            sum += p[i];
        }
        for (int i = 0; i < KEYS; i++)
        {
            p[i] /= sum;
        }
        return p;
    }

    private static void checkValues(final long[] keys, final float[] values)
    {
        for (int i = 0; i < keys.length; i++)
        {
            for (int j = 0; j < LENGTH; j++)
            {
                assertEquals(keys[i] * 100 + j, values[i * LENGTH + j], "value of sampled key " + keys[i]);
            }
        }
    }

    private static long[] keysNotLocalOn(final GridMember member, final Table table)
    {
        final long[] keys = new long[KEYS];
        int n = 0;
        for (int k = 0; k < KEYS; k++)
        {
            if (!member.isLocal(table, k))
            {
                keys[n++] = k;
            }
        }
        return java.util.Arrays.copyOf(keys, n);
    }

    /** An application's own distribution: uniform over a fixed set of keys. */
    private static final class ArrayDistribution implements KeyDistribution
    {
        private final long[] keys;

        ArrayDistribution(final long[] keys)
        {
            this.keys = keys;
        }

        @Override
        public long draw(final RandomGenerator random)
        {
            return keys[random.nextInt(keys.length)];
        }

        @Override
        public long minKey()
        {
            return 0;
        }

        @Override
        public long maxKey()
        {
            return KEYS;
        }
    }
}
