package org.intentgrid;

import java.nio.charset.StandardCharsets;

/**
 * Stable hash functions shared by every member: stripes, partitions and initial values must agree
 * across JVMs, so nothing here may depend on identity hash codes or JVM-specific string hashing.
 */
public final class Hashing
{
    private Hashing()
    {
    }

    /**
     * MurmurHash3's 64-bit finalizer: a cheap bijective mix with full avalanche.
     *
     * @param value input
     * @return mixed value
     */
    public static long mix64(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /**
     * FNV-1a over the UTF-8 bytes of a name, then mixed.
     *
     * @param name a table name
     * @return a stable 64-bit hash
     */
    public static long nameHash(final String name)
    {
        long h = 0xcbf29ce484222325L;
        for (final byte b : name.getBytes(StandardCharsets.UTF_8))
        {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix64(h);
    }
}
