package org.intentgrid.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * How much memory the machine has available for this process now, as Linux tells: the least of the host's
 * {@code MemAvailable} and, for each memory cgroup the process is in (a container's limit) and each cgroup above it,
 * its limit less its usage, where usage does not count page cache the kernel can drop ({@code inactive_file}).
 * Everything on the machine counts: other processes, other member JVMs, this JVM's heap and its stores.
 * <p>
 * Why not {@code OperatingSystemMXBean.getFreeMemorySize}: outside a container it is {@code MemFree}, which leaves out
 * the page cache the kernel gives back on demand, so on a machine that has read large files it reports almost
 * nothing free; inside one it counts that cache as used.
 * <p>
 * Where the files are missing (not Linux, no memory controller), the missing part is unknown and does not limit.
 * Reading takes a few file reads, so callers read it now and then, not per allocation. Thread-safe.
 */
final class AvailableMemory implements LongSupplier
{
    /** A cgroup limit at or above this is "no limit" (cgroup v1 writes a page-rounded {@link Long#MAX_VALUE}). */
    private static final long NO_LIMIT = Long.MAX_VALUE / 2;
    private static final String V2_FILESYSTEM = "cgroup2";
    private static final String V1_FILESYSTEM = "cgroup";
    private static final String MEMORY_CONTROLLER = "memory";

    private final Path meminfo;
    /** The process's memory cgroup and those above it up to the hierarchy's root, the innermost first. */
    private final List<Path> groups;
    private final boolean v2;

    AvailableMemory(final Path meminfo, final List<Path> groups, final boolean v2)
    {
        this.meminfo = meminfo;
        this.groups = List.copyOf(groups);
        this.v2 = v2;
    }

    /** @return the memory available to this JVM's process, read from {@code /proc} and {@code /sys/fs/cgroup} */
    static AvailableMemory ofThisProcess()
    {
        return of(Paths.get("/proc/meminfo"), Paths.get("/proc/self/cgroup"), Paths.get("/proc/self/mountinfo"));
    }

    /**
     * @param meminfo   the host's {@code /proc/meminfo}
     * @param cgroup    the process's {@code /proc/self/cgroup}
     * @param mountinfo the process's {@code /proc/self/mountinfo}
     * @return the memory available to that process; only the host's part if its memory cgroup cannot be found
     */
    static AvailableMemory of(final Path meminfo, final Path cgroup, final Path mountinfo)
    {
        final List<String> membership = linesOrEmpty(cgroup);
        final List<String> mounts = linesOrEmpty(mountinfo);
        final String v1Path = cgroupPath(membership, false);
        if (v1Path != null)
        {
            final String[] mount = mountOf(mounts, false);
            if (mount != null)
            {
                return new AvailableMemory(meminfo, groupAndAncestors(mount, v1Path), false);
            }
        }
        final String v2Path = cgroupPath(membership, true);
        if (v2Path != null)
        {
            final String[] mount = mountOf(mounts, true);
            if (mount != null)
            {
                return new AvailableMemory(meminfo, groupAndAncestors(mount, v2Path), true);
            }
        }
        return new AvailableMemory(meminfo, List.of(), false);
    }

    /** @return bytes available now, {@link Long#MAX_VALUE} if nothing could be read */
    @Override
    public long getAsLong()
    {
        long available = meminfoAvailable(linesOrEmpty(meminfo));
        for (final Path group : groups)
        {
            available = Math.min(available, groupAvailable(group));
        }
        return available;
    }

    /** @return the memory cgroups this reading covers, the innermost first */
    List<Path> groups()
    {
        return groups;
    }

    private long groupAvailable(final Path group)
    {
        final long limit = readLong(group.resolve(v2 ? "memory.max" : "memory.limit_in_bytes"));
        if (limit >= NO_LIMIT)
        {
            return Long.MAX_VALUE;
        }
        final long usage = readLong(group.resolve(v2 ? "memory.current" : "memory.usage_in_bytes"));
        if (usage == Long.MAX_VALUE)
        {
            return Long.MAX_VALUE;
        }
        final long reclaimable = statValue(linesOrEmpty(group.resolve("memory.stat")),
            v2 ? "inactive_file" : "total_inactive_file");
        return limit - Math.max(0, usage - reclaimable);
    }

    /** @return {@code MemAvailable} in bytes, {@link Long#MAX_VALUE} if it is not there */
    static long meminfoAvailable(final List<String> lines)
    {
        for (final String line : lines)
        {
            if (line.startsWith("MemAvailable:"))
            {
                final String[] parts = line.substring("MemAvailable:".length()).trim().split("\\s+");
                try
                {
                    final long value = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
                }
                catch (final NumberFormatException e)
                {
                    return Long.MAX_VALUE;
                }
            }
        }
        return Long.MAX_VALUE;
    }

    /** @return the value of {@code name} in a {@code memory.stat} file, 0 if it is not there */
    static long statValue(final List<String> lines, final String name)
    {
        for (final String line : lines)
        {
            final int space = line.indexOf(' ');
            if (space == name.length() && line.startsWith(name))
            {
                try
                {
                    return Long.parseLong(line.substring(space + 1).trim());
                }
                catch (final NumberFormatException e)
                {
                    return 0;
                }
            }
        }
        return 0;
    }

    /**
     * @param lines {@code /proc/self/cgroup}: {@code id:controllers:path}, v1 hierarchies with their controllers,
     *              the v2 one as {@code 0::path}
     * @return the path of the process's memory cgroup in the v1 or v2 hierarchy, or null
     */
    static String cgroupPath(final List<String> lines, final boolean v2)
    {
        for (final String line : lines)
        {
            final String[] fields = line.split(":", 3);
            if (fields.length < 3)
            {
                continue;
            }
            if (v2 ? fields[0].equals("0") && fields[1].isEmpty() : List.of(fields[1].split(",")).contains(
                MEMORY_CONTROLLER))
            {
                return fields[2];
            }
        }
        return null;
    }

    /**
     * @param lines {@code /proc/self/mountinfo}: {@code id parent dev root mountpoint options [optional...] - type
     *              source superoptions}
     * @return the root within the hierarchy and the mount point of the v1 memory hierarchy or the v2 one, or null
     */
    static String[] mountOf(final List<String> lines, final boolean v2)
    {
        for (final String line : lines)
        {
            final String[] fields = line.split(" ");
            int separator = -1;
            for (int i = 6; i < fields.length; i++)
            {
                if (fields[i].equals("-"))
                {
                    separator = i;
                    break;
                }
            }
            if (separator < 0 || separator + 3 >= fields.length)
            {
                continue;
            }
            final String type = fields[separator + 1];
            final boolean memory = v2 ? type.equals(V2_FILESYSTEM) : type.equals(V1_FILESYSTEM) &&
                List.of(fields[separator + 3].split(",")).contains(MEMORY_CONTROLLER);
            if (memory)
            {
                return new String[] {fields[3], fields[4]};
            }
        }
        return null;
    }

    /**
     * @param mount the root within the hierarchy and the mount point ({@link #mountOf})
     * @param path  the process's cgroup in the hierarchy ({@link #cgroupPath})
     * @return the directories of that cgroup and of those above it that the mount shows, the innermost first
     */
    static List<Path> groupAndAncestors(final String[] mount, final String path)
    {
        final String root = mount[0];
        final Path mountPoint = Paths.get(mount[1]);
        final String relative;
        if (root.equals("/"))
        {
            relative = path;
        }
        else if (path.equals(root) || path.startsWith(root + "/"))
        {
            relative = path.substring(root.length());
        }
        else
        {
            // a cgroup namespace: the process sees its own cgroup as the mount's root
            relative = "/";
        }
        final List<Path> groups = new ArrayList<>();
        Path group = mountPoint.resolve(relative.replaceFirst("^/+", ""));
        while (group != null && group.startsWith(mountPoint))
        {
            groups.add(group);
            group = group.getParent();
        }
        return groups;
    }

    private static long readLong(final Path file)
    {
        final List<String> lines = linesOrEmpty(file);
        if (lines.isEmpty())
        {
            return Long.MAX_VALUE;
        }
        final String value = lines.get(0).trim();
        if (value.equals("max"))
        {
            return Long.MAX_VALUE;
        }
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException e)
        {
            return Long.MAX_VALUE;
        }
    }

    private static List<String> linesOrEmpty(final Path file)
    {
        try
        {
            return Files.readAllLines(file);
        }
        catch (final IOException | SecurityException e)
        {
            return List.of();
        }
    }
}
