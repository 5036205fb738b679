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
    private final int members;
    private final String clusterName;
    private final int basePort;
    private final boolean allowNonFinite;
    private final long requestTimeoutMillis;
    private final long handoffTimeoutMillis;
    private final int directoryBackups;
    private final Mode mode;
    private final boolean actImmediately;
    private final int channels;
    private final int maxRoundsPerSecond;
    private final String traceDirectory;

    private GridConfig(
        final int members, final String clusterName, final int basePort, final boolean allowNonFinite,
        final long requestTimeoutMillis, final long handoffTimeoutMillis, final int directoryBackups,
        final Mode mode, final boolean actImmediately, final int channels, final int maxRoundsPerSecond,
        final String traceDirectory)
    {
        this.traceDirectory = traceDirectory;
        this.mode = mode;
        this.actImmediately = actImmediately;
        this.channels = channels;
        this.maxRoundsPerSecond = maxRoundsPerSecond;
        this.members = members;
        this.clusterName = clusterName;
        this.basePort = basePort;
        this.allowNonFinite = allowNonFinite;
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.handoffTimeoutMillis = handoffTimeoutMillis;
        this.directoryBackups = directoryBackups;
    }

    /** @return defaults for an embedded grid of one member on 127.0.0.1 with a fresh cluster name */
    public static GridConfig embedded()
    {
        return new GridConfig(1, "intentgrid-" + UUID.randomUUID().toString().substring(0, 8), 5701, false,
            60_000, 60_000, 1, defaultMode(), false, 1, 1000, null);
    }

    /**
     * Reads {@code intentgrid.allow-non-finite}, {@code intentgrid.request-timeout-ms},
     * {@code intentgrid.handoff-timeout-ms}, {@code intentgrid.directory-backups}, {@code intentgrid.mode},
     * {@code intentgrid.act-immediately}, {@code intentgrid.channels} and {@code intentgrid.max-rounds-per-second};
     * absent ones keep their defaults. In {@link #mode()} the default is {@code adaptive} when the intent
     * service is on the classpath and {@code static} otherwise.
     */
    public static GridConfig fromProperties(final Properties properties)
    {
        final GridConfig d = embedded();
        final String mode = properties.getProperty("intentgrid.mode");
        return new GridConfig(1, d.clusterName, d.basePort,
            Boolean.parseBoolean(properties.getProperty("intentgrid.allow-non-finite", "false")),
            Long.parseLong(properties.getProperty("intentgrid.request-timeout-ms", "" + d.requestTimeoutMillis)),
            Long.parseLong(properties.getProperty("intentgrid.handoff-timeout-ms", "" + d.handoffTimeoutMillis)),
            Integer.parseInt(properties.getProperty("intentgrid.directory-backups", "" + d.directoryBackups)),
            mode != null ? Mode.parse(mode) : defaultMode(),
            Boolean.parseBoolean(properties.getProperty("intentgrid.act-immediately", "false")),
            Integer.parseInt(properties.getProperty("intentgrid.channels", "" + d.channels)),
            Integer.parseInt(properties.getProperty("intentgrid.max-rounds-per-second", "" + d.maxRoundsPerSecond)),
            properties.getProperty("intentgrid.trace-dir"));
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
        if (traceDirectory != null)
        {
            property.accept("intentgrid.trace-dir", traceDirectory);
        }
    }

    /** @param mode how the grid reacts to intents (default {@link Mode#ADAPTIVE} with the intent service) */
    public GridConfig mode(final Mode mode)
    {
        return new GridConfig(members, clusterName, basePort, allowNonFinite, requestTimeoutMillis,
            handoffTimeoutMillis, directoryBackups, java.util.Objects.requireNonNull(mode, "mode"), actImmediately,
            channels, maxRoundsPerSecond, traceDirectory);
    }

    /** @param immediately act on every intent at the next sync round instead of timing the action */
    public GridConfig actImmediately(final boolean immediately)
    {
        return new GridConfig(members, clusterName, basePort, allowNonFinite, requestTimeoutMillis,
            handoffTimeoutMillis, directoryBackups, mode, immediately, channels, maxRoundsPerSecond, traceDirectory);
    }

    /** @param channels sync channels per member, {@code 1..64} (fewer is faster on few cores) */
    public GridConfig channels(final int channels)
    {
        if (channels < 1 || channels > 64)
        {
            throw new IllegalArgumentException("channels must be in 1..64, got " + channels);
        }
        return new GridConfig(members, clusterName, basePort, allowNonFinite, requestTimeoutMillis,
            handoffTimeoutMillis, directoryBackups, mode, actImmediately, channels, maxRoundsPerSecond, traceDirectory);
    }

    /** @param rounds the most sync rounds a channel starts per second, {@code 1..100000} */
    public GridConfig maxRoundsPerSecond(final int rounds)
    {
        if (rounds < 1 || rounds > 100_000)
        {
            throw new IllegalArgumentException("maxRoundsPerSecond must be in 1..100000, got " + rounds);
        }
        return new GridConfig(members, clusterName, basePort, allowNonFinite, requestTimeoutMillis,
            handoffTimeoutMillis, directoryBackups, mode, actImmediately, channels, rounds, traceDirectory);
    }

    /**
     * @param directory where each member writes its per-key event trace {@code trace.<member>.tsv}
     *                  (off when null, the default)
     */
    public GridConfig traceDirectory(final String directory)
    {
        return new GridConfig(members, clusterName, basePort, allowNonFinite, requestTimeoutMillis,
            handoffTimeoutMillis, directoryBackups, mode, actImmediately, channels, maxRoundsPerSecond, directory);
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
        return new GridConfig(members, clusterName, basePort, allowNonFinite, requestTimeoutMillis,
            handoffTimeoutMillis, directoryBackups, mode, actImmediately, channels, maxRoundsPerSecond, traceDirectory);
    }

    /** @param clusterName Hazelcast cluster name; members with another name never join */
    public GridConfig clusterName(final String clusterName)
    {
        if (clusterName == null || clusterName.isEmpty())
        {
            throw new IllegalArgumentException("clusterName must be non-empty");
        }
        return new GridConfig(members, clusterName, basePort, allowNonFinite, requestTimeoutMillis,
            handoffTimeoutMillis, directoryBackups, mode, actImmediately, channels, maxRoundsPerSecond, traceDirectory);
    }

    /** @param basePort first TCP port tried on 127.0.0.1 (later members auto-increment) */
    public GridConfig basePort(final int basePort)
    {
        if (basePort < 1024 || basePort > 65000)
        {
            throw new IllegalArgumentException("basePort must be in 1024..65000, got " + basePort);
        }
        return new GridConfig(members, clusterName, basePort, allowNonFinite, requestTimeoutMillis,
            handoffTimeoutMillis, directoryBackups, mode, actImmediately, channels, maxRoundsPerSecond, traceDirectory);
    }

    /** @param allow accept NaN and infinite values in push and set (rejected by default) */
    public GridConfig allowNonFinite(final boolean allow)
    {
        return new GridConfig(members, clusterName, basePort, allow, requestTimeoutMillis, handoffTimeoutMillis,
            directoryBackups, mode, actImmediately, channels, maxRoundsPerSecond, traceDirectory);
    }

    /** @param millis how long a remote request may keep chasing a moving key before it fails */
    public GridConfig requestTimeoutMillis(final long millis)
    {
        if (millis < 1)
        {
            throw new IllegalArgumentException("requestTimeoutMillis must be >= 1, got " + millis);
        }
        return new GridConfig(members, clusterName, basePort, allowNonFinite, millis, handoffTimeoutMillis,
            directoryBackups, mode, actImmediately, channels, maxRoundsPerSecond, traceDirectory);
    }

    /** @param backups backups of each home-directory partition, {@code 0..6} */
    public GridConfig directoryBackups(final int backups)
    {
        if (backups < 0 || backups > 6)
        {
            throw new IllegalArgumentException("directoryBackups must be in 0..6, got " + backups);
        }
        return new GridConfig(members, clusterName, basePort, allowNonFinite, requestTimeoutMillis,
            handoffTimeoutMillis, backups, mode, actImmediately, channels, maxRoundsPerSecond, traceDirectory);
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
