package org.intentgrid;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Command lines for forked JVMs of the integration tests: the packaged plugin jar, test classes, Hazelcast, Agrona. */
final class ForkedJvms
{
    private ForkedJvms()
    {
    }

    /** @return {@code java <jvmOptions> -cp <plugin jar, test classes, hazelcast, agrona> <main> <args>} */
    static List<String> command(final List<String> jvmOptions, final Class<?> main, final String... args)
        throws IOException
    {
        final Path target = Paths.get("target").toAbsolutePath();
        final Path pluginJar;
        try (Stream<Path> files = Files.list(target))
        {
            pluginJar = files.filter(p -> p.getFileName().toString().matches("grid-plugin-.*\\.jar") &&
                !p.getFileName().toString().contains("tests")).findFirst()
                .orElseThrow(() -> new AssertionError("run after 'mvn package': no plugin jar in " + target));
        }
        final List<String> classpath = new ArrayList<>();
        classpath.add(pluginJar.toString());
        classpath.add(target.resolve("test-classes").toString());
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            final String name = Paths.get(entry).getFileName().toString();
            if (name.startsWith("hazelcast-") || name.startsWith("agrona-"))
            {
                classpath.add(entry);
            }
        }
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }
}
