package org.intentgrid;

import org.intentgrid.spi.Mode;

import java.util.Properties;
import java.util.UUID;

/**
 * Settings of a grid. Immutable; every {@code with}-style method returns a copy.
 * <p>
 * For a drop-in member (plugin jar on the classpath, stock Hazelcast config) the same settings are read
 * from Hazelcast config properties named {@code intentgrid.*}, see {@link #fromProperties(Properties)}.
 */
public final class GridConfig
{
    private int members;
    private String clusterName;
    private int basePort;
    private boolean allowNonFinite;
    private long requestTimeoutMillis;
    private long handoffTimeoutMillis;
    private int directoryBackups;
    private Mode mode;
    private boolean actImmediately;
    private int channels;
    private int maxRoundsPerSecond;
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
        c.allowNonFinite = allowNonFinite;
        c.requestTimeoutMillis = requestTimeoutMillis;
        c.handoffTimeoutMillis = handoffTimeoutMillis;
        c.directoryBackups = directoryBackups;
        c.mode = mode;
        c.actImmediately = actImmediately;
        c.channels = channels;
        c.maxRoundsPerSecond = maxRoundsPerSecond;
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
        c.basePort = 5701;
        c.requestTimeoutMillis = 60_000;
        c.handoffTimeoutMillis = 60_000;
        c.directoryBackups = 1;
        c.mode = defaultMode();
        c.channels = 1;
        c.maxRoundsPerSecond = 1000;
        c.samplingScheme = SamplingScheme.POOL;
        return c;
    }

    /**
     * Reads {@code intentgrid.allow-non-finite}, {@code intentgrid.request-timeout-ms},
     * {@code intentgrid.handoff-timeout-ms}, {@code intentgrid.directory-backups}, {@code intentgrid.mode},
     * {@code intentgrid.act-immediately}, {@code intentgrid.channels}, {@code intentgrid.max-rounds-per-second},
     * {@code intentgrid.trace-dir} and {@code intentgrid.sampling.scheme};
     * absent ones keep their defaults. In {@link #mode()} the default is {@code adaptive} when the intent
     * service is on the classpath and {@code static} otherwise.
     */
    public static GridConfig fromProperties(final Properties properties)
    {
        final GridConfig c = embedded();
        final String mode = properties.getProperty("intentgrid.mode");
        c.allowNonFinite = Boolean.parseBoolean(properties.getProperty("intentgrid.allow-non-finite", "false"));
        c.requestTimeoutMillis =
            Long.parseLong(properties.getProperty("intentgrid.request-timeout-ms", "" + c.requestTimeoutMillis));
        c.handoffTimeoutMillis =
            Long.parseLong(properties.getProperty("intentgrid.handoff-timeout-ms", "" + c.handoffTimeoutMillis));
        c.directoryBackups =
            Integer.parseInt(properties.getProperty("intentgrid.directory-backups", "" + c.directoryBackups));
        c.mode = mode != null ? Mode.parse(mode) : c.mode;
        c.actImmediately = Boolean.parseBoolean(properties.getProperty("intentgrid.act-immediately", "false"));
        c.channels = Integer.parseInt(properties.getProperty("intentgrid.channels", "" + c.channels));
        c.maxRoundsPerSecond =
            Integer.parseInt(properties.getProperty("intentgrid.max-rounds-per-second", "" + c.maxRoundsPerSecond));
        c.traceDirectory = properties.getProperty("intentgrid.trace-dir");
        final String scheme = properties.getProperty("intentgrid.sampling.scheme");
        c.samplingScheme = scheme != null ? SamplingScheme.parse(scheme) : c.samplingScheme;
        return c;
    }

    private static Mode defaultMode()
    {
        return java.util.ServiceLoader.load(org.intentgrid.spi.IntentPolicyProvider.class,
            GridConfig.class.getClassLoader()).findFirst().isPresent() ? Mode.ADAPTIVE : Mode.STATIC;
    }

    /** Writes these settings as the Hazelcast config properties {@link #fromProperties} reads. */
    public void toProperties(final java.util.function.BiConsumer<String, String> property)
    {
        property.accept("intentgrid.allow-non-finite", String.valueOf(allowNonFinite));
        property.accept("intentgrid.request-timeout-ms", String.valueOf(requestTimeoutMillis));
        property.accept("intentgrid.handoff-timeout-ms", String.valueOf(handoffTimeoutMillis));
        property.accept("intentgrid.directory-backups", String.valueOf(directoryBackups));
        property.accept("intentgrid.mode", mode.label());
        property.accept("intentgrid.act-immediately", String.valueOf(actImmediately));
        property.accept("intentgrid.channels", String.valueOf(channels));
        property.accept("intentgrid.max-rounds-per-second", String.valueOf(maxRoundsPerSecond));
        property.accept("intentgrid.sampling.scheme", samplingScheme.label());
        if (traceDirectory != null)
        {
            property.accept("intentgrid.trace-dir", traceDirectory);
        }
    }

    /** @param mode how the grid reacts to intents (default {@link Mode#ADAPTIVE} with the intent service) */
    public GridConfig mode(final Mode mode)
    {
        final GridConfig c = copy();
        c.mode = java.util.Objects.requireNonNull(mode, "mode");
        return c;
    }

    /** @param immediately act on every intent at the next sync round instead of timing the action */
    public GridConfig actImmediately(final boolean immediately)
    {
        final GridConfig c = copy();
        c.actImmediately = immediately;
        return c;
    }

    /** @param channels sync channels per member, {@code 1..64} (fewer is faster on few cores) */
    public GridConfig channels(final int channels)
    {
        if (channels < 1 || channels > 64)
        {
            throw new IllegalArgumentException("channels must be in 1..64, got " + channels);
        }
        final GridConfig c = copy();
        c.channels = channels;
        return c;
    }

    /** @param rounds the most sync rounds a channel starts per second, {@code 1..100000} */
    public GridConfig maxRoundsPerSecond(final int rounds)
    {
        if (rounds < 1 || rounds > 100_000)
        {
            throw new IllegalArgumentException("maxRoundsPerSecond must be in 1..100000, got " + rounds);
        }
        final GridConfig c = copy();
        c.maxRoundsPerSecond = rounds;
        return c;
    }

    /**
     * @param directory where each member writes its per-key event trace {@code trace.<member>.tsv}
     *                  (off when null, the default)
     */
    public GridConfig traceDirectory(final String directory)
    {
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
        c.samplingScheme = java.util.Objects.requireNonNull(scheme, "scheme");
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

    /** @param members number of embedded members to start in this JVM, {@code 1..64} */
    public GridConfig members(final int members)
    {
        if (members < 1 || members > 64)
        {
            throw new IllegalArgumentException("members must be in 1..64, got " + members);
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

    /** @param backups backups of each home-directory partition, {@code 0..6} */
    public GridConfig directoryBackups(final int backups)
    {
        if (backups < 0 || backups > 6)
        {
            throw new IllegalArgumentException("directoryBackups must be in 0..6, got " + backups);
        }
        final GridConfig c = copy();
        c.directoryBackups = backups;
        return c;
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
}
