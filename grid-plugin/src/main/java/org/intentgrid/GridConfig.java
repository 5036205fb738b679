package org.intentgrid;

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

    private GridConfig(
        final int members, final String clusterName, final int basePort, final boolean allowNonFinite,
        final long requestTimeoutMillis, final long handoffTimeoutMillis, final int directoryBackups)
    {
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
            60_000, 60_000, 1);
    }

    /**
     * Reads {@code intentgrid.allow-non-finite}, {@code intentgrid.request-timeout-ms},
     * {@code intentgrid.handoff-timeout-ms} and {@code intentgrid.directory-backups}; absent ones keep defaults.
     */
    public static GridConfig fromProperties(final Properties properties)
    {
        final GridConfig d = embedded();
        return new GridConfig(1, d.clusterName, d.basePort,
            Boolean.parseBoolean(properties.getProperty("intentgrid.allow-non-finite", "false")),
            Long.parseLong(properties.getProperty("intentgrid.request-timeout-ms", "" + d.requestTimeoutMillis)),
            Long.parseLong(properties.getProperty("intentgrid.handoff-timeout-ms", "" + d.handoffTimeoutMillis)),
            Integer.parseInt(properties.getProperty("intentgrid.directory-backups", "" + d.directoryBackups)));
    }

    /** @param members number of embedded members to start in this JVM, {@code 1..64} */
    public GridConfig members(final int members)
    {
        if (members < 1 || members > 64)
        {
            throw new IllegalArgumentException("members must be in 1..64, got " + members);
        }
        return new GridConfig(members, clusterName, basePort, allowNonFinite, requestTimeoutMillis,
            handoffTimeoutMillis, directoryBackups);
    }

    /** @param clusterName Hazelcast cluster name; members with another name never join */
    public GridConfig clusterName(final String clusterName)
    {
        if (clusterName == null || clusterName.isEmpty())
        {
            throw new IllegalArgumentException("clusterName must be non-empty");
        }
        return new GridConfig(members, clusterName, basePort, allowNonFinite, requestTimeoutMillis,
            handoffTimeoutMillis, directoryBackups);
    }

    /** @param basePort first TCP port tried on 127.0.0.1 (later members auto-increment) */
    public GridConfig basePort(final int basePort)
    {
        if (basePort < 1024 || basePort > 65000)
        {
            throw new IllegalArgumentException("basePort must be in 1024..65000, got " + basePort);
        }
        return new GridConfig(members, clusterName, basePort, allowNonFinite, requestTimeoutMillis,
            handoffTimeoutMillis, directoryBackups);
    }

    /** @param allow accept NaN and infinite values in push and set (rejected by default) */
    public GridConfig allowNonFinite(final boolean allow)
    {
        return new GridConfig(members, clusterName, basePort, allow, requestTimeoutMillis, handoffTimeoutMillis,
            directoryBackups);
    }

    /** @param millis how long a remote request may keep chasing a moving key before it fails */
    public GridConfig requestTimeoutMillis(final long millis)
    {
        if (millis < 1)
        {
            throw new IllegalArgumentException("requestTimeoutMillis must be >= 1, got " + millis);
        }
        return new GridConfig(members, clusterName, basePort, allowNonFinite, millis, handoffTimeoutMillis,
            directoryBackups);
    }

    /** @param backups backups of each home-directory partition, {@code 0..6} */
    public GridConfig directoryBackups(final int backups)
    {
        if (backups < 0 || backups > 6)
        {
            throw new IllegalArgumentException("directoryBackups must be in 0..6, got " + backups);
        }
        return new GridConfig(members, clusterName, basePort, allowNonFinite, requestTimeoutMillis,
            handoffTimeoutMillis, backups);
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
