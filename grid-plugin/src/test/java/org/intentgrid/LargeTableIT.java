package org.intentgrid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table whose values are larger than the member JVM's heap and its default direct-memory limit (which is the heap
 * size): 1 GiB of values in a JVM with {@code -Xmx256m} and no other flag.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LargeTableIT
{
    @Test
    void aMemberWithA256MegabyteHeapHoldsAGigabyteOfValues() throws Exception
    {
        final int keys = 262_144;
        final int length = 1024;
        final Path log = Paths.get("target").toAbsolutePath().resolve("large-table.log");
        final ProcessBuilder builder = new ProcessBuilder(ForkedJvms.command(List.of("-Xmx256m"), BigTableMain.class,
            String.valueOf(keys), String.valueOf(length)));
        builder.redirectError(log.toFile());
        final Process process = builder.start();
        try
        {
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(240, TimeUnit.SECONDS), "the forked member finished");
            assertEquals(0, process.exitValue(), "the forked member filled and read the table:\n" + out +
                "\n(its log: " + log + ")");
            final String[] words = out.trim().split("\\s+");
            final long bytes = Long.parseLong(words[words.length - 1]);
            assertTrue(bytes >= (long)keys * length * Float.BYTES, "1 GiB of values held off-heap: " + bytes);
        }
        finally
        {
            process.destroyForcibly().waitFor();
        }
    }
}
