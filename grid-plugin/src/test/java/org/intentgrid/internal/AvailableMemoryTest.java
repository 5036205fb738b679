package org.intentgrid.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the machine has available, read from {@code /proc} and the memory cgroups as Linux lays them out (v1 and v2,
 * with and without a cgroup namespace), here in directories the test writes.
 */
class AvailableMemoryTest
{
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    @Test
    void theHostsAvailableMemoryCountsWhenNoCgroupLimits() throws IOException
    {
        final Path meminfo = write("meminfo", "MemTotal:       24000000 kB\nMemFree:          100000 kB\n" +
            "MemAvailable:   20000000 kB\n");
        final Path cgroup = write("cgroup", "0::/\n");
        final Path mountinfo = write("mountinfo", "40 31 0:37 / " + dir.resolve("v2") + " rw - cgroup2 cgroup2 rw\n");
        Files.createDirectories(dir.resolve("v2"));
        final AvailableMemory memory = AvailableMemory.of(meminfo, cgroup, mountinfo);
        assertEquals(20000000L * 1024, memory.getAsLong(), "MemAvailable counts page cache as available, MemFree not");
    }

    @Test
    void aV1ContainerLimitCountsItsUsageLessDroppablePageCacheAndItsParentsLimitToo() throws IOException
    {
        final Path meminfo = write("meminfo", "MemAvailable:   20000000 kB\n");
        final Path cgroup = write("cgroup", "9:name=systemd:/\n4:memory:/pods/member-1\n3:cpuset:/\n0::/\n");
        final Path mount = dir.resolve("memory");
        final Path mountinfo = write("mountinfo",
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n" +
            "34 31 0:31 / /x/cpuset rw,relatime - cgroup cgroup rw,cpuset\n" +
            "35 31 0:32 / " + mount + " rw,relatime shared:9 - cgroup cgroup rw,memory\n");
        final Path pods = Files.createDirectories(mount.resolve("pods"));
        final Path member = Files.createDirectories(pods.resolve("member-1"));
        Files.writeString(mount.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
        Files.writeString(mount.resolve("memory.usage_in_bytes"), String.valueOf(4000 * MIB));
        Files.writeString(member.resolve("memory.limit_in_bytes"), String.valueOf(1024 * MIB));
        Files.writeString(member.resolve("memory.usage_in_bytes"), String.valueOf(700 * MIB));
        Files.writeString(member.resolve("memory.stat"), "cache 300\ntotal_inactive_file " + 100 * MIB +
            "\ninactive_file 1\n");
        Files.writeString(pods.resolve("memory.limit_in_bytes"), String.valueOf(2048 * MIB));
        Files.writeString(pods.resolve("memory.usage_in_bytes"), String.valueOf(1900 * MIB));
        final AvailableMemory memory = AvailableMemory.of(meminfo, cgroup, mountinfo);
        assertEquals(List.of(member, pods, mount), memory.groups());
        assertEquals(148 * MIB, memory.getAsLong(), "the parent's 2 GiB less 1.9 GiB binds before the member's " +
            "1 GiB less 700 MiB of which 100 MiB is droppable cache");
        Files.writeString(pods.resolve("memory.usage_in_bytes"), String.valueOf(1000 * MIB));
        assertEquals(424 * MIB, memory.getAsLong(), "every reading is a fresh one");
    }

    @Test
    void aV2ContainerSeenThroughItsNamespaceCountsTheMountsRoot() throws IOException
    {
        final Path meminfo = write("meminfo", "MemAvailable:   20000000 kB\n");
        final Path cgroup = write("cgroup", "0::/\n");
        final Path mount = Files.createDirectories(dir.resolve("fs"));
        final Path mountinfo = write("mountinfo",
            "29 23 0:26 /kubepods/pod1/abc " + mount + " ro,nosuid - cgroup2 cgroup rw,nsdelegate\n");
        Files.writeString(mount.resolve("memory.max"), String.valueOf(512 * MIB));
        Files.writeString(mount.resolve("memory.current"), String.valueOf(300 * MIB));
        Files.writeString(mount.resolve("memory.stat"), "anon 1\ninactive_file " + 20 * MIB + "\n");
        final AvailableMemory memory = AvailableMemory.of(meminfo, cgroup, mountinfo);
        assertEquals(List.of(mount), memory.groups());
        assertEquals(232 * MIB, memory.getAsLong());
        Files.writeString(mount.resolve("memory.max"), "max\n");
        assertEquals(20000000L * 1024, memory.getAsLong(), "a cgroup without a limit leaves the host's reading");
    }

    @Test
    void aV2CgroupBelowTheMountsRootIsFoundUnderTheMountPoint() throws IOException
    {
        final Path meminfo = write("meminfo", "");
        final Path cgroup = write("cgroup", "0::/system.slice/member.service\n");
        final Path mount = Files.createDirectories(dir.resolve("unified"));
        final Path mountinfo = write("mountinfo", "29 23 0:26 / " + mount + " rw shared:4 - cgroup2 cgroup2 rw\n");
        final Path service = Files.createDirectories(mount.resolve("system.slice").resolve("member.service"));
        Files.writeString(service.resolve("memory.max"), String.valueOf(256 * MIB));
        Files.writeString(service.resolve("memory.current"), String.valueOf(56 * MIB));
        assertEquals(200 * MIB, AvailableMemory.of(meminfo, cgroup, mountinfo).getAsLong(),
            "no MemAvailable, no memory.stat: the limit less the usage");
    }

    @Test
    void nothingReadableMeansUnknownNotZero() throws IOException
    {
        final AvailableMemory memory = AvailableMemory.of(dir.resolve("none"), dir.resolve("none"),
            dir.resolve("none"));
        assertEquals(Long.MAX_VALUE, memory.getAsLong());
        assertEquals(Long.MAX_VALUE, AvailableMemory.meminfoAvailable(List.of("MemAvailable: lots kB")));
    }

    @Test
    void thisMachineTellsWhatItHasAvailable()
    {
        final long available = AvailableMemory.ofThisProcess().getAsLong();
        if (Files.isReadable(Paths.get("/proc/meminfo")))
        {
            assertTrue(available > 0 && available < Long.MAX_VALUE, "a Linux machine tells: " + available);
        }
    }

    private Path write(final String name, final String content) throws IOException
    {
        return Files.writeString(dir.resolve(name), content);
    }
}
