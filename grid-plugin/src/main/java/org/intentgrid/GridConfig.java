package org.intentgrid;

import org.intentgrid.spi.IntentPolicyProvider;
import org.intentgrid.spi.Mode;

import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * Settings of a grid. Immutable; every setter returns a copy, and every setter validates its value.
 * <p>
 * For a drop-in member (plugin jar on the classpath, stock Hazelcast config) the member-side settings are read
 * from Hazelcast config properties: each has a {@code …_PROP_NAME} constant naming the property and a
 * {@code …_DEFAULT} constant with its default, and {@link #fromProperties(Properties)} feeds every property
 * through the same setter (and so the same validation) as Java code would. The embedded-only settings
 * ({@link #members}, {@link #clusterName}, {@link #basePort}, {@link #failureDetectionSeconds}, {@link #jet},
 * {@link #javaSerializationPrefixes}) have no property.
 */
public final class GridConfig
{
    /** Accept NaN and infinite values in push and set: {@code true} or {@code false}. */
    public static final String ALLOW_NON_FINITE_PROP_NAME = "intentgrid.allow-non-finite";
    /** Default of {@link #ALLOW_NON_FINITE_PROP_NAME}: non-finite updates are rejected. */
    public static final boolean ALLOW_NON_FINITE_DEFAULT = false;
    /** How long a remote request may chase a moving key before it fails, in milliseconds, at least 1. */
    public static final String REQUEST_TIMEOUT_PROP_NAME = "intentgrid.request-timeout-ms";
    /** Default of {@link #REQUEST_TIMEOUT_PROP_NAME}. */
    public static final long REQUEST_TIMEOUT_DEFAULT_MS = 60_000;
    /** How long a leaving member may take to hand off its main copies, in milliseconds, at least 1. */
    public static final String HANDOFF_TIMEOUT_PROP_NAME = "intentgrid.handoff-timeout-ms";
    /** Default of {@link #HANDOFF_TIMEOUT_PROP_NAME}. */
    public static final long HANDOFF_TIMEOUT_DEFAULT_MS = 60_000;
    /**
     * The most native memory a member's stores may hold, in bytes: a number with an optional binary suffix
     * {@code k}, {@code m}, {@code g}, {@code t} (e.g. {@code 8g}), or {@code none} for no cap but the machine's.
     */
    public static final String MAX_OFFHEAP_BYTES_PROP_NAME = "intentgrid.max-offheap-bytes";
    /** Default of {@link #MAX_OFFHEAP_BYTES_PROP_NAME}: no cap but the machine's memory. */
    public static final long MAX_OFFHEAP_BYTES_DEFAULT = Long.MAX_VALUE;
    /**
     * How much of the machine's memory (a container's limit inside one) the stores of a JVM leave to everything
     * but themselves and the JVM's heap (the operating system, other processes, the JVM's own native memory), in
     * bytes as for {@link #MAX_OFFHEAP_BYTES_PROP_NAME}, or {@code auto}: a tenth of the machine's memory, at least
     * 512 MiB and at most 8 GiB. Creating a key that would eat into it fails at once, as beyond a cap does; so does
     * one after which the machine as a whole (every process on it) would have less than this much available.
     */
    public static final String MACHINE_MEMORY_RESERVE_PROP_NAME = "intentgrid.machine-memory-reserve";
    /** The value of {@link #machineMemoryReserveBytes()} for {@code auto}. */
    public static final long MACHINE_MEMORY_RESERVE_AUTO = -1;
    /** Default of {@link #MACHINE_MEMORY_RESERVE_PROP_NAME}. */
    public static final long MACHINE_MEMORY_RESERVE_DEFAULT = MACHINE_MEMORY_RESERVE_AUTO;
    /** Backups of each home-directory partition, 0 to 6. */
    public static final String DIRECTORY_BACKUPS_PROP_NAME = "intentgrid.directory-backups";
    /** Default of {@link #DIRECTORY_BACKUPS_PROP_NAME}. */
    public static final int DIRECTORY_BACKUPS_DEFAULT = 1;
    /**
     * Backups of each member's main copies, 0 or 1: with 1, the next member in the cluster's member list holds a
     * copy of them, so that a member crash loses at most its own updates of the last flush interval.
     */
    public static final String BACKUPS_PROP_NAME = "intentgrid.backups";
    /** Default of {@link #BACKUPS_PROP_NAME}. */
    public static final int BACKUPS_DEFAULT = 1;
    /** How often a member sends the main copies that changed to their backup, in milliseconds. */
    public static final String BACKUP_FLUSH_PROP_NAME = "intentgrid.backup-flush-ms";
    /** Default of {@link #BACKUP_FLUSH_PROP_NAME}. */
    public static final long BACKUP_FLUSH_DEFAULT_MS = 100;
    /**
     * How the grid reacts to intents: {@code adaptive}, {@code replication-only}, {@code relocation-only} or
     * {@code static}; default {@code adaptive} with the intent service on the classpath, else {@code static}.
     */
    public static final String MODE_PROP_NAME = "intentgrid.mode";
    /** Act on every intent at the next sync round instead of timing the action: {@code true} or {@code false}. */
    public static final String ACT_IMMEDIATELY_PROP_NAME = "intentgrid.act-immediately";
    /** Default of {@link #ACT_IMMEDIATELY_PROP_NAME}. */
    public static final boolean ACT_IMMEDIATELY_DEFAULT = false;
    /**
     * In mode {@code adaptive}, how often a key may change members before it is only replicated from where it is:
     * a number {@code >= 0} or {@code none} (no limit).
     */
    public static final String RELOCATION_LIMIT_PROP_NAME = "intentgrid.relocation-limit";
    /** Default of {@link #RELOCATION_LIMIT_PROP_NAME}: no limit (the reference's rule). */
    public static final int RELOCATION_LIMIT_DEFAULT = Integer.MAX_VALUE;
    /** Sync channels per member, 1 to 64 (fewer is faster on few cores). */
    public static final String CHANNELS_PROP_NAME = "intentgrid.channels";
    /** Default of {@link #CHANNELS_PROP_NAME}. */
    public static final int CHANNELS_DEFAULT = 1;
    /** The most sync rounds a channel starts per second, 1 to 100000. */
    public static final String MAX_ROUNDS_PER_SECOND_PROP_NAME = "intentgrid.max-rounds-per-second";
    /** Default of {@link #MAX_ROUNDS_PER_SECOND_PROP_NAME}. */
    public static final int MAX_ROUNDS_PER_SECOND_DEFAULT = 1000;
    /**
     * The most replicas a member syncs in its hot lane, 0 to 65536 (0: none): replicas pushed to so often that a
     * full sync round leaves many of their updates unseen elsewhere are synced by small rounds of their own.
     */
    public static final String HOT_LANE_KEYS_PROP_NAME = "intentgrid.hot-lane-keys";
    /** Default of {@link #HOT_LANE_KEYS_PROP_NAME}. */
    public static final int HOT_LANE_KEYS_DEFAULT = 256;
    /** Directory for each member's per-key event trace {@code trace.<member>.tsv}; no trace when absent. */
    public static final String TRACE_DIR_PROP_NAME = "intentgrid.trace-dir";
    /**
     * Sampling scheme of tables whose {@link Sampling} names none: {@code naive}, {@code preloc}, {@code pool},
     * {@code local}.
     */
    public static final String SAMPLING_SCHEME_PROP_NAME = "intentgrid.sampling.scheme";
    /** Default of {@link #SAMPLING_SCHEME_PROP_NAME}. */
    public static final SamplingScheme SAMPLING_SCHEME_DEFAULT = SamplingScheme.POOL;

    private static final int MAX_MEMBERS = 64;
    private static final int MAX_CHANNELS = 64;
    private static final int MAX_ROUNDS_PER_SECOND = 100_000;
    private static final int MAX_HOT_LANE_KEYS = 1 << 16;
    private static final int MAX_DIRECTORY_BACKUPS = 6;
    private static final int DEFAULT_BASE_PORT = 5701;
    private static final int MAX_JET_THREADS = 64;
    /** Java serialization in an embedded member resolves classes of these prefixes besides Hazelcast's defaults. */
    private static final String OWN_PACKAGE_PREFIX = "org.intentgrid.";

    private int members;
    private String clusterName;
    private int basePort;
    private int failureDetectionSeconds;
    private int jetThreads;
    private List<String> javaSerializationPrefixes;
    private boolean allowNonFinite;
    private long requestTimeoutMillis;
    private long handoffTimeoutMillis;
    private int directoryBackups;
    private int backups;
    private long backupFlushMillis;
    private long maxOffHeapBytes;
    private long machineMemoryReserveBytes;
    private Mode mode;
    private boolean actImmediately;
    private int relocationLimit;
    private int channels;
    private int maxRoundsPerSecond;
    private int hotLaneKeys;
    private String traceDirectory;
    private SamplingScheme samplingScheme;

    private GridConfig()
    {
    }

    /** Every setter works on a copy: instances never change once handed out. */
    private GridConfig copy()
    {
        final GridConfig c = new GridConfig();
        c.members = members;
        c.clusterName = clusterName;
        c.basePort = basePort;
        c.failureDetectionSeconds = failureDetectionSeconds;
        c.jetThreads = jetThreads;
        c.javaSerializationPrefixes = javaSerializationPrefixes;
        c.allowNonFinite = allowNonFinite;
        c.requestTimeoutMillis = requestTimeoutMillis;
        c.handoffTimeoutMillis = handoffTimeoutMillis;
        c.directoryBackups = directoryBackups;
        c.backups = backups;
        c.backupFlushMillis = backupFlushMillis;
        c.maxOffHeapBytes = maxOffHeapBytes;
        c.machineMemoryReserveBytes = machineMemoryReserveBytes;
        c.mode = mode;
        c.actImmediately = actImmediately;
        c.relocationLimit = relocationLimit;
        c.channels = channels;
        c.maxRoundsPerSecond = maxRoundsPerSecond;
        c.hotLaneKeys = hotLaneKeys;
        c.traceDirectory = traceDirectory;
        c.samplingScheme = samplingScheme;
        return c;
    }

    /** @return defaults for an embedded grid of one member on 127.0.0.1 with a fresh cluster name */
    public static GridConfig embedded()
    {
        final GridConfig c = new GridConfig();
        c.members = 1;
        c.clusterName = "intentgrid-" + UUID.randomUUID().toString().substring(0, 8);
        c.basePort = DEFAULT_BASE_PORT;
        c.javaSerializationPrefixes = List.of(OWN_PACKAGE_PREFIX);
        c.allowNonFinite = ALLOW_NON_FINITE_DEFAULT;
        c.requestTimeoutMillis = REQUEST_TIMEOUT_DEFAULT_MS;
        c.handoffTimeoutMillis = HANDOFF_TIMEOUT_DEFAULT_MS;
        c.directoryBackups = DIRECTORY_BACKUPS_DEFAULT;
        c.backups = BACKUPS_DEFAULT;
        c.backupFlushMillis = BACKUP_FLUSH_DEFAULT_MS;
        c.maxOffHeapBytes = MAX_OFFHEAP_BYTES_DEFAULT;
        c.machineMemoryReserveBytes = MACHINE_MEMORY_RESERVE_DEFAULT;
        c.mode = defaultMode();
        c.actImmediately = ACT_IMMEDIATELY_DEFAULT;
        c.relocationLimit = RELOCATION_LIMIT_DEFAULT;
        c.channels = CHANNELS_DEFAULT;
        c.maxRoundsPerSecond = MAX_ROUNDS_PER_SECOND_DEFAULT;
        c.hotLaneKeys = HOT_LANE_KEYS_DEFAULT;
        c.samplingScheme = SAMPLING_SCHEME_DEFAULT;
        return c;
    }

    /**
     * Reads every {@code …_PROP_NAME} property of this class; absent ones keep their defaults. Each value goes
     * through the setter of its setting.
     *
     * @throws IllegalArgumentException naming the property, its value and what is expected, for the first value
     *                                  that is malformed or out of range
     */
    public static GridConfig fromProperties(final Properties properties)
    {
        GridConfig c = embedded();
        c = read(c, properties, ALLOW_NON_FINITE_PROP_NAME, (g, v) -> g.allowNonFinite(parseBoolean(v)));
        c = read(c, properties, REQUEST_TIMEOUT_PROP_NAME, (g, v) -> g.requestTimeoutMillis(parseLong(v)));
        c = read(c, properties, HANDOFF_TIMEOUT_PROP_NAME, (g, v) -> g.handoffTimeoutMillis(parseLong(v)));
        c = read(c, properties, DIRECTORY_BACKUPS_PROP_NAME, (g, v) -> g.directoryBackups(parseInt(v)));
        c = read(c, properties, BACKUPS_PROP_NAME, (g, v) -> g.backups(parseInt(v)));
        c = read(c, properties, BACKUP_FLUSH_PROP_NAME, (g, v) -> g.backupFlushMillis(parseLong(v)));
        c = read(c, properties, MAX_OFFHEAP_BYTES_PROP_NAME, (g, v) -> g.maxOffHeapBytes(parseBytes(v)));
        c = read(c, properties, MACHINE_MEMORY_RESERVE_PROP_NAME,
            (g, v) -> g.machineMemoryReserveBytes(parseReserve(v)));
        c = read(c, properties, MODE_PROP_NAME, (g, v) -> g.mode(Mode.parse(v)));
        c = read(c, properties, ACT_IMMEDIATELY_PROP_NAME, (g, v) -> g.actImmediately(parseBoolean(v)));
        c = read(c, properties, RELOCATION_LIMIT_PROP_NAME,
            (g, v) -> g.relocationLimit(parseRelocationLimit(v)));
        c = read(c, properties, CHANNELS_PROP_NAME, (g, v) -> g.channels(parseInt(v)));
        c = read(c, properties, MAX_ROUNDS_PER_SECOND_PROP_NAME, (g, v) -> g.maxRoundsPerSecond(parseInt(v)));
        c = read(c, properties, HOT_LANE_KEYS_PROP_NAME, (g, v) -> g.hotLaneKeys(parseInt(v)));
        c = read(c, properties, TRACE_DIR_PROP_NAME, GridConfig::traceDirectory);
        c = read(c, properties, SAMPLING_SCHEME_PROP_NAME, (g, v) -> g.samplingScheme(SamplingScheme.parse(v)));
        return c;
    }

    private static GridConfig read(
        final GridConfig config, final Properties properties, final String name,
        final BiFunction<GridConfig, String, GridConfig> setter)
    {
        final String value = properties.getProperty(name);
        if (value == null)
        {
            return config;
        }
        try
        {
            return setter.apply(config, value.trim());
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException("property " + name + "=" + value + " is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a relocation limit as the property {@link #RELOCATION_LIMIT_PROP_NAME} and the command-line options
     * spell it.
     *
     * @param value a number {@code >= 0}, or {@code none} in any case
     * @return the limit, {@code Integer.MAX_VALUE} for none
     * @throws IllegalArgumentException naming the value and what is expected
     */
    public static int parseRelocationLimit(final String value)
    {
        if ("none".equalsIgnoreCase(value))
        {
            return Integer.MAX_VALUE;
        }
        final int limit = parseInt(value);
        if (limit < 0)
        {
            throw new IllegalArgumentException("relocation limit must be >= 0 or none, got " + limit);
        }
        return limit;
    }

    private static boolean parseBoolean(final String value)
    {
        if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value))
        {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("'" + value + "' is not a boolean; expected true or false");
    }

    private static int parseInt(final String value)
    {
        try
        {
            return Integer.parseInt(value);
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("'" + value + "' is not an integer", e);
        }
    }

    private static long parseLong(final String value)
    {
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("'" + value + "' is not an integer", e);
        }
    }

    private static long parseBytes(final String value)
    {
        return "none".equalsIgnoreCase(value) ? Long.MAX_VALUE : parseByteSize(value, "none");
    }

    private static long parseReserve(final String value)
    {
        return "auto".equalsIgnoreCase(value) ? MACHINE_MEMORY_RESERVE_AUTO : parseByteSize(value, "auto");
    }

    /** @param word the word the setting takes besides a size, for the message */
    private static long parseByteSize(final String value, final String word)
    {
        final String suffixes = "kmgt";
        final char last = value.isEmpty() ? ' ' : Character.toLowerCase(value.charAt(value.length() - 1));
        final int shift = 10 * (suffixes.indexOf(last) + 1);
        final String digits = shift > 0 ? value.substring(0, value.length() - 1) : value;
        final long number;
        try
        {
            // unsigned: no sign is accepted; numbers of 2^63 and more come back negative, "too large" below
            number = Long.parseUnsignedLong(digits);
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("'" + value + "' is not a byte size; expected a number with an " +
                "optional suffix k, m, g or t, or " + word, e);
        }
        if (number < 0 || number > (Long.MAX_VALUE >> shift))
        {
            throw new IllegalArgumentException("'" + value + "' is too large; expected at most " +
                (Long.MAX_VALUE >> 10) + "k, or " + word);
        }
        return number << shift;
    }

    private static Mode defaultMode()
    {
        return ServiceLoader.load(IntentPolicyProvider.class, GridConfig.class.getClassLoader())
            .findFirst().isPresent() ? Mode.ADAPTIVE : Mode.STATIC;
    }

    /** Writes these settings as the Hazelcast config properties {@link #fromProperties} reads. */
    public void toProperties(final BiConsumer<String, String> property)
    {
        property.accept(ALLOW_NON_FINITE_PROP_NAME, String.valueOf(allowNonFinite));
        property.accept(REQUEST_TIMEOUT_PROP_NAME, String.valueOf(requestTimeoutMillis));
        property.accept(HANDOFF_TIMEOUT_PROP_NAME, String.valueOf(handoffTimeoutMillis));
        property.accept(DIRECTORY_BACKUPS_PROP_NAME, String.valueOf(directoryBackups));
        property.accept(BACKUPS_PROP_NAME, String.valueOf(backups));
        property.accept(BACKUP_FLUSH_PROP_NAME, String.valueOf(backupFlushMillis));
        property.accept(MAX_OFFHEAP_BYTES_PROP_NAME,
            maxOffHeapBytes == Long.MAX_VALUE ? "none" : String.valueOf(maxOffHeapBytes));
        property.accept(MACHINE_MEMORY_RESERVE_PROP_NAME, machineMemoryReserveBytes == MACHINE_MEMORY_RESERVE_AUTO ?
            "auto" : String.valueOf(machineMemoryReserveBytes));
        property.accept(MODE_PROP_NAME, mode.label());
        property.accept(ACT_IMMEDIATELY_PROP_NAME, String.valueOf(actImmediately));
        property.accept(RELOCATION_LIMIT_PROP_NAME,
            relocationLimit == Integer.MAX_VALUE ? "none" : String.valueOf(relocationLimit));
        property.accept(CHANNELS_PROP_NAME, String.valueOf(channels));
        property.accept(MAX_ROUNDS_PER_SECOND_PROP_NAME, String.valueOf(maxRoundsPerSecond));
        property.accept(HOT_LANE_KEYS_PROP_NAME, String.valueOf(hotLaneKeys));
        property.accept(SAMPLING_SCHEME_PROP_NAME, samplingScheme.label());
        if (traceDirectory != null)
        {
            property.accept(TRACE_DIR_PROP_NAME, traceDirectory);
        }
    }

    /** @param mode how the grid reacts to intents (default {@link Mode#ADAPTIVE} with the intent service) */
    public GridConfig mode(final Mode mode)
    {
        final GridConfig c = copy();
        c.mode = Objects.requireNonNull(mode, "mode");
        return c;
    }

    /** @param immediately act on every intent at the next sync round instead of timing the action */
    public GridConfig actImmediately(final boolean immediately)
    {
        final GridConfig c = copy();
        c.actImmediately = immediately;
        return c;
    }

    /**
     * @param limit in mode {@link Mode#ADAPTIVE}, how often a key may change members before it is only replicated
     *              from where it is ({@code Integer.MAX_VALUE}, the default: no limit). A key that moves back and
     *              forth is wanted by several members, only not in the same round; where that is common (knowledge
     *              graph embeddings), a limit of 2 saves the moves' cost. Where keys move on purpose and are used a
     *              long time in between (matrix factorization's blocks), a limit costs replica deltas instead.
     */
    public GridConfig relocationLimit(final int limit)
    {
        if (limit < 0)
        {
            throw new IllegalArgumentException("relocationLimit must be >= 0 (Integer.MAX_VALUE for none), got " +
                limit);
        }
        final GridConfig c = copy();
        c.relocationLimit = limit;
        return c;
    }

    /** @param channels sync channels per member, {@code 1..64} (fewer is faster on few cores) */
    public GridConfig channels(final int channels)
    {
        if (channels < 1 || channels > MAX_CHANNELS)
        {
            throw new IllegalArgumentException("channels must be in 1.." + MAX_CHANNELS + ", got " + channels);
        }
        final GridConfig c = copy();
        c.channels = channels;
        return c;
    }

    /** @param rounds the most sync rounds a channel starts per second, {@code 1..100000} */
    public GridConfig maxRoundsPerSecond(final int rounds)
    {
        if (rounds < 1 || rounds > MAX_ROUNDS_PER_SECOND)
        {
            throw new IllegalArgumentException("maxRoundsPerSecond must be in 1.." + MAX_ROUNDS_PER_SECOND + ", got " +
                rounds);
        }
        final GridConfig c = copy();
        c.maxRoundsPerSecond = rounds;
        return c;
    }

    /**
     * @param keys the most replicas a member syncs in its hot lane, {@code 0..65536} (0: none; default 256). A
     *             replica that a full sync round finds with many local pushes since the last (kge's relations,
     *             w2v's common words) moves to the hot lane, whose small rounds go out as often as the rate limit
     *             allows, so that each member sees the others' updates of such keys within milliseconds instead of
     *             a full round's time; it moves back once several hot rounds in a row found no push
     */
    public GridConfig hotLaneKeys(final int keys)
    {
        if (keys < 0 || keys > MAX_HOT_LANE_KEYS)
        {
            throw new IllegalArgumentException("hotLaneKeys must be in 0.." + MAX_HOT_LANE_KEYS + ", got " + keys);
        }
        final GridConfig c = copy();
        c.hotLaneKeys = keys;
        return c;
    }

    /**
     * @param directory where each member writes its per-key event trace {@code trace.<member>.tsv}
     *                  (off when null, the default)
     */
    public GridConfig traceDirectory(final String directory)
    {
        if (directory != null && directory.isBlank())
        {
            throw new IllegalArgumentException("traceDirectory must not be blank; give a directory, or null for no " +
                "trace");
        }
        final GridConfig c = copy();
        c.traceDirectory = directory;
        return c;
    }

    /**
     * @param scheme the sampling scheme of tables whose {@link Sampling} names none (default
     *               {@link SamplingScheme#POOL})
     */
    public GridConfig samplingScheme(final SamplingScheme scheme)
    {
        final GridConfig c = copy();
        c.samplingScheme = Objects.requireNonNull(scheme, "scheme");
        return c;
    }

    /** @return the default sampling scheme */
    public SamplingScheme samplingScheme()
    {
        return samplingScheme;
    }

    /** @return the key-trace directory, or null */
    public String traceDirectory()
    {
        return traceDirectory;
    }

    /** @return how the grid reacts to intents */
    public Mode mode()
    {
        return mode;
    }

    /** @return whether intents are acted on at the next round regardless of their start clock */
    public boolean actImmediately()
    {
        return actImmediately;
    }

    /** @return how often a key may change members in mode adaptive ({@code Integer.MAX_VALUE}: no limit) */
    public int relocationLimit()
    {
        return relocationLimit;
    }

    /** @return sync channels per member */
    public int channels()
    {
        return channels;
    }

    /** @return the most sync rounds a channel starts per second */
    public int maxRoundsPerSecond()
    {
        return maxRoundsPerSecond;
    }

    /** @return the most replicas a member syncs in its hot lane (0: none) */
    public int hotLaneKeys()
    {
        return hotLaneKeys;
    }

    /** @param members number of embedded members to start in this JVM, {@code 1..64} */
    public GridConfig members(final int members)
    {
        if (members < 1 || members > MAX_MEMBERS)
        {
            throw new IllegalArgumentException("members must be in 1.." + MAX_MEMBERS + ", got " + members);
        }
        final GridConfig c = copy();
        c.members = members;
        return c;
    }

    /** @param clusterName Hazelcast cluster name; members with another name never join */
    public GridConfig clusterName(final String clusterName)
    {
        if (clusterName == null || clusterName.isEmpty())
        {
            throw new IllegalArgumentException("clusterName must be non-empty");
        }
        final GridConfig c = copy();
        c.clusterName = clusterName;
        return c;
    }

    /** @param basePort first TCP port tried on 127.0.0.1 (later members auto-increment) */
    public GridConfig basePort(final int basePort)
    {
        if (basePort < 1024 || basePort > 65000)
        {
            throw new IllegalArgumentException("basePort must be in 1024..65000, got " + basePort);
        }
        final GridConfig c = copy();
        c.basePort = basePort;
        return c;
    }

    /**
     * @param seconds how long an embedded member goes without a heartbeat from another before it declares that
     *                member lost and its main copies are recovered, {@code 2..600}; 0 (the default) keeps
     *                Hazelcast's 60 s. Members started elsewhere take Hazelcast's
     *                {@code hazelcast.max.no.heartbeat.seconds} instead.
     */
    public GridConfig failureDetectionSeconds(final int seconds)
    {
        if (seconds != 0 && (seconds < 2 || seconds > 600))
        {
            throw new IllegalArgumentException("failureDetectionSeconds must be 0 or in 2..600, got " + seconds);
        }
        final GridConfig c = copy();
        c.failureDetectionSeconds = seconds;
        return c;
    }

    /** @return seconds without a heartbeat after which an embedded member declares another lost; 0: Hazelcast's */
    public int failureDetectionSeconds()
    {
        return failureDetectionSeconds;
    }

    /**
     * Turns Hazelcast Jet on in embedded members, so that streaming training jobs ({@code org.intentgrid.jet}) run
     * on them. Off by default, as in Hazelcast: Jet's threads would compete with the workers for nothing.
     *
     * @param threads cooperative Jet threads per embedded member, {@code 1..64}; 0 turns Jet off. Several members
     *                share one machine in an embedded grid, so one or two threads each is the right size there
     *                (Hazelcast's default is one per core per member). Members started elsewhere take their
     *                {@code hazelcast.yaml}'s {@code jet} section instead.
     */
    public GridConfig jet(final int threads)
    {
        if (threads < 0 || threads > MAX_JET_THREADS)
        {
            throw new IllegalArgumentException("jet threads must be 0 (Jet off) or in 1.." + MAX_JET_THREADS +
                ", got " + threads);
        }
        final GridConfig c = copy();
        c.jetThreads = threads;
        return c;
    }

    /** @return cooperative Jet threads per embedded member; 0 when Jet is off (the default) */
    public int jetThreads()
    {
        return jetThreads;
    }

    /**
     * Lets Java serialization in embedded members resolve classes whose names start with one of {@code prefixes},
     * besides intentgrid's own ({@code org.intentgrid.}) and Hazelcast's defaults ({@code com.hazelcast.},
     * {@code java}, arrays and primitives). Every other class is refused before it is instantiated, as in the
     * example member configuration ({@code config/hazelcast-intentgrid.yaml}): name here the packages of the
     * lambdas and {@link java.io.Serializable} classes of your own Jet jobs and executor tasks. Members started
     * elsewhere take their {@code hazelcast.yaml}'s {@code serialization} section instead.
     *
     * @param prefixes class-name prefixes, each non-empty, for example {@code "com.example.training."}; replaces
     *                 the prefixes given before
     */
    public GridConfig javaSerializationPrefixes(final String... prefixes)
    {
        if (prefixes == null)
        {
            throw new IllegalArgumentException("javaSerializationPrefixes must not be null; expected class-name " +
                "prefixes such as \"com.example.training.\"");
        }
        for (int i = 0; i < prefixes.length; i++)
        {
            if (prefixes[i] == null || prefixes[i].isBlank())
            {
                throw new IllegalArgumentException("javaSerializationPrefixes: prefix " + i + " is " +
                    (prefixes[i] == null ? "null" : "blank") + "; expected a class-name prefix such as " +
                    "\"com.example.training.\"");
            }
        }
        final GridConfig c = copy();
        final String[] all = new String[prefixes.length + 1];
        all[0] = OWN_PACKAGE_PREFIX;
        System.arraycopy(prefixes, 0, all, 1, prefixes.length);
        c.javaSerializationPrefixes = List.of(all);
        return c;
    }

    /** @return the class-name prefixes Java serialization in embedded members resolves besides Hazelcast's */
    public List<String> javaSerializationPrefixes()
    {
        return javaSerializationPrefixes;
    }

    /** @param allow accept NaN and infinite values in push and set (rejected by default) */
    public GridConfig allowNonFinite(final boolean allow)
    {
        final GridConfig c = copy();
        c.allowNonFinite = allow;
        return c;
    }

    /** @param millis how long a remote request may keep chasing a moving key before it fails */
    public GridConfig requestTimeoutMillis(final long millis)
    {
        if (millis < 1)
        {
            throw new IllegalArgumentException("requestTimeoutMillis must be >= 1, got " + millis);
        }
        final GridConfig c = copy();
        c.requestTimeoutMillis = millis;
        return c;
    }

    /** @param millis how long a leaving member may take to hand off its main copies before it leaves anyway */
    public GridConfig handoffTimeoutMillis(final long millis)
    {
        if (millis < 1)
        {
            throw new IllegalArgumentException("handoffTimeoutMillis must be >= 1, got " + millis);
        }
        final GridConfig c = copy();
        c.handoffTimeoutMillis = millis;
        return c;
    }

    /** @param backups backups of each home-directory partition, {@code 0..6} */
    public GridConfig directoryBackups(final int backups)
    {
        if (backups < 0 || backups > MAX_DIRECTORY_BACKUPS)
        {
            throw new IllegalArgumentException("directoryBackups must be in 0.." + MAX_DIRECTORY_BACKUPS + ", got " +
                backups);
        }
        final GridConfig c = copy();
        c.directoryBackups = backups;
        return c;
    }

    /**
     * @param backups backups of each member's main copies: 1 (the default) survives the crash of one member at a
     *                time, losing at most that member's own updates of its last flush interval; 0 loses the
     *                crashed member's keys (they start again from their initializers)
     */
    public GridConfig backups(final int backups)
    {
        if (backups < 0 || backups > 1)
        {
            throw new IllegalArgumentException("backups must be 0 or 1, got " + backups);
        }
        final GridConfig c = copy();
        c.backups = backups;
        return c;
    }

    /**
     * @param millis how often a member sends its changed main copies to their backup, 1..60000 (default 100): the
     *               most of a crashed member's own updates that can be lost
     */
    public GridConfig backupFlushMillis(final long millis)
    {
        if (millis < 1 || millis > 60_000)
        {
            throw new IllegalArgumentException("backupFlushMillis must be in 1..60000, got " + millis);
        }
        final GridConfig c = copy();
        c.backupFlushMillis = millis;
        return c;
    }

    /**
     * @param bytes the most native memory a member's stores may hold, at least 1 ({@link Long#MAX_VALUE}: no cap
     *              but the machine's, the default). Creating a key beyond it fails at once, naming the member,
     *              table, bytes in use and the cap; main copies moving in (relocation, a leaving member's hand-off)
     *              are taken even beyond it, since they must live somewhere
     */
    public GridConfig maxOffHeapBytes(final long bytes)
    {
        if (bytes < 1)
        {
            throw new IllegalArgumentException("maxOffHeapBytes must be >= 1, got " + bytes);
        }
        final GridConfig c = copy();
        c.maxOffHeapBytes = bytes;
        return c;
    }

    /** @return the most native memory a member's stores may hold ({@link Long#MAX_VALUE}: no cap) */
    public long maxOffHeapBytes()
    {
        return maxOffHeapBytes;
    }

    /**
     * @param bytes how much of the machine's memory the stores of a JVM leave to everything but themselves and the
     *              heap, at least 0, or {@link #MACHINE_MEMORY_RESERVE_AUTO} (the default: a tenth of the machine's
     *              memory, at least 512 MiB and at most 8 GiB). The members of a JVM share the machine: together
     *              their stores hold at most the machine's memory less the JVM's heap (its maximum, at most half the
     *              machine, or what it holds if that is more) and this reserve, and
     *              creating a key beyond that fails at once, as beyond {@link #maxOffHeapBytes(long)}. Without this
     *              check, an operating system that overcommits memory (Linux does by default) would let the member
     *              grow until it is killed. Since that counts only this JVM, creating a key also fails if the
     *              machine would then have less than this reserve available (on Linux: {@code MemAvailable}, and the
     *              limits of the process's memory cgroups less their usage), which counts other member JVMs on the
     *              same machine and every other process
     */
    public GridConfig machineMemoryReserveBytes(final long bytes)
    {
        if (bytes < 0 && bytes != MACHINE_MEMORY_RESERVE_AUTO)
        {
            throw new IllegalArgumentException("machineMemoryReserveBytes must be >= 0 or MACHINE_MEMORY_RESERVE_AUTO" +
                " (" + MACHINE_MEMORY_RESERVE_AUTO + "), got " + bytes);
        }
        final GridConfig c = copy();
        c.machineMemoryReserveBytes = bytes;
        return c;
    }

    /** @return the configured reserve in bytes, or {@link #MACHINE_MEMORY_RESERVE_AUTO} */
    public long machineMemoryReserveBytes()
    {
        return machineMemoryReserveBytes;
    }

    /** @return number of embedded members */
    public int members()
    {
        return members;
    }

    /** @return Hazelcast cluster name */
    public String clusterName()
    {
        return clusterName;
    }

    /** @return first port tried */
    public int basePort()
    {
        return basePort;
    }

    /** @return whether NaN and infinite updates are accepted */
    public boolean allowNonFinite()
    {
        return allowNonFinite;
    }

    /** @return remote request timeout */
    public long requestTimeoutMillis()
    {
        return requestTimeoutMillis;
    }

    /** @return how long a leaving member may take to hand off its main copies */
    public long handoffTimeoutMillis()
    {
        return handoffTimeoutMillis;
    }

    /** @return directory backups per partition */
    public int directoryBackups()
    {
        return directoryBackups;
    }

    /** @return backups of each member's main copies, 0 or 1 */
    public int backups()
    {
        return backups;
    }

    /** @return milliseconds between two backup flushes */
    public long backupFlushMillis()
    {
        return backupFlushMillis;
    }
}
