package org.intentgrid;

import org.intentgrid.spi.Mode;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Member settings from Hazelcast config properties: one validation path, clear errors, documented names. */
class GridConfigTest
{
    private static List<String> propertyNames() throws IllegalAccessException
    {
        final List<String> names = new ArrayList<>();
        for (final Field field : GridConfig.class.getFields())
        {
            if (Modifier.isStatic(field.getModifiers()) && field.getName().endsWith("_PROP_NAME"))
            {
                names.add((String)field.get(null));
            }
        }
        return names;
    }

    private static Properties properties(final String name, final String value)
    {
        final Properties properties = new Properties();
        properties.setProperty(name, value);
        return properties;
    }

    @Test
    void everyPropertyRoundTripsThroughToPropertiesAndFromProperties() throws Exception
    {
        final GridConfig custom = GridConfig.embedded().allowNonFinite(true).requestTimeoutMillis(1234)
            .handoffTimeoutMillis(4321).directoryBackups(2).mode(Mode.RELOCATION_ONLY).actImmediately(true)
            .relocationLimit(3).channels(3).maxRoundsPerSecond(77).traceDirectory("target/trace")
            .samplingScheme(SamplingScheme.LOCAL).machineMemoryReserveBytes(3L << 30);
        final Properties properties = new Properties();
        custom.toProperties(properties::setProperty);
        assertEquals(propertyNames().size(), properties.size(), "toProperties writes every property: " + properties);
        final GridConfig read = GridConfig.fromProperties(properties);
        assertTrue(read.allowNonFinite());
        assertEquals(1234, read.requestTimeoutMillis());
        assertEquals(4321, read.handoffTimeoutMillis());
        assertEquals(2, read.directoryBackups());
        assertEquals(Mode.RELOCATION_ONLY, read.mode());
        assertTrue(read.actImmediately());
        assertEquals(3, read.relocationLimit());
        assertEquals(3, read.channels());
        assertEquals(77, read.maxRoundsPerSecond());
        assertEquals("target/trace", read.traceDirectory());
        assertEquals(SamplingScheme.LOCAL, read.samplingScheme());
        assertEquals(3L << 30, read.machineMemoryReserveBytes());
        final Properties auto = new Properties();
        GridConfig.embedded().toProperties(auto::setProperty);
        assertEquals("auto", auto.getProperty(GridConfig.MACHINE_MEMORY_RESERVE_PROP_NAME));
        assertEquals(GridConfig.MACHINE_MEMORY_RESERVE_AUTO,
            GridConfig.fromProperties(auto).machineMemoryReserveBytes());
        assertEquals(0, GridConfig.fromProperties(properties(GridConfig.MACHINE_MEMORY_RESERVE_PROP_NAME, "0"))
            .machineMemoryReserveBytes());
        assertEquals(512L << 20, GridConfig.fromProperties(properties(GridConfig.MACHINE_MEMORY_RESERVE_PROP_NAME,
            "512m")).machineMemoryReserveBytes());
    }

    @Test
    void absentPropertiesKeepTheDefaultConstants()
    {
        final GridConfig read = GridConfig.fromProperties(new Properties());
        assertEquals(GridConfig.ALLOW_NON_FINITE_DEFAULT, read.allowNonFinite());
        assertEquals(GridConfig.REQUEST_TIMEOUT_DEFAULT_MS, read.requestTimeoutMillis());
        assertEquals(GridConfig.HANDOFF_TIMEOUT_DEFAULT_MS, read.handoffTimeoutMillis());
        assertEquals(GridConfig.DIRECTORY_BACKUPS_DEFAULT, read.directoryBackups());
        assertEquals(GridConfig.ACT_IMMEDIATELY_DEFAULT, read.actImmediately());
        assertEquals(GridConfig.RELOCATION_LIMIT_DEFAULT, read.relocationLimit());
        assertEquals(Integer.MAX_VALUE, GridConfig.fromProperties(properties(GridConfig.RELOCATION_LIMIT_PROP_NAME,
            "none")).relocationLimit());
        assertEquals(GridConfig.CHANNELS_DEFAULT, read.channels());
        assertEquals(GridConfig.MAX_ROUNDS_PER_SECOND_DEFAULT, read.maxRoundsPerSecond());
        assertEquals(GridConfig.SAMPLING_SCHEME_DEFAULT, read.samplingScheme());
        assertEquals(GridConfig.MACHINE_MEMORY_RESERVE_DEFAULT, read.machineMemoryReserveBytes());
        assertEquals(null, read.traceDirectory());
    }

    @Test
    void aBadValueFailsNamingThePropertyTheValueAndWhatIsExpected()
    {
        final Map<String, String> expectations = Map.ofEntries(
            Map.entry(GridConfig.CHANNELS_PROP_NAME + "=0", "must be in 1..64"),
            Map.entry(GridConfig.CHANNELS_PROP_NAME + "=two", "not an integer"),
            Map.entry(GridConfig.MAX_ROUNDS_PER_SECOND_PROP_NAME + "=0", "must be in 1..100000"),
            Map.entry(GridConfig.REQUEST_TIMEOUT_PROP_NAME + "=0", "must be >= 1"),
            Map.entry(GridConfig.HANDOFF_TIMEOUT_PROP_NAME + "=-5", "must be >= 1"),
            Map.entry(GridConfig.DIRECTORY_BACKUPS_PROP_NAME + "=7", "must be in 0..6"),
            Map.entry(GridConfig.ALLOW_NON_FINITE_PROP_NAME + "=yes", "expected true or false"),
            Map.entry(GridConfig.ACT_IMMEDIATELY_PROP_NAME + "=1", "expected true or false"),
            Map.entry(GridConfig.RELOCATION_LIMIT_PROP_NAME + "=-1", "must be >= 0"),
            Map.entry(GridConfig.RELOCATION_LIMIT_PROP_NAME + "=few", "not an integer"),
            Map.entry(GridConfig.MODE_PROP_NAME + "=fast", "expected one of adaptive"),
            Map.entry(GridConfig.SAMPLING_SCHEME_PROP_NAME + "=best", "expected one of naive"),
            Map.entry(GridConfig.TRACE_DIR_PROP_NAME + "= ", "must not be blank"),
            Map.entry(GridConfig.MAX_OFFHEAP_BYTES_PROP_NAME + "=lots", "expected a number with an optional suffix " +
                "k, m, g or t, or none"),
            Map.entry(GridConfig.MACHINE_MEMORY_RESERVE_PROP_NAME + "=none", "expected a number with an optional " +
                "suffix k, m, g or t, or auto"),
            Map.entry(GridConfig.MACHINE_MEMORY_RESERVE_PROP_NAME + "=-2", "expected a number with an optional " +
                "suffix k, m, g or t, or auto"));
        expectations.forEach((property, expected) ->
        {
            final int equals = property.indexOf('=');
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GridConfig.fromProperties(properties(property.substring(0, equals), property.substring(equals +
                    1))),
                property);
            assertTrue(e.getMessage().startsWith("property " + property + " is invalid: ") &&
                e.getMessage().contains(expected), property + " -> " + e.getMessage());
        });
    }

    @Test
    void aRelocationLimitIsReadTheSameWhereverItIsWritten()
    {
        assertEquals(2, GridConfig.parseRelocationLimit("2"));
        assertEquals(0, GridConfig.parseRelocationLimit("0"));
        assertEquals(Integer.MAX_VALUE, GridConfig.parseRelocationLimit("none"));
        assertEquals(Integer.MAX_VALUE, GridConfig.parseRelocationLimit("None"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GridConfig.parseRelocationLimit("-1"))
            .getMessage().contains("must be >= 0 or none, got -1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GridConfig.parseRelocationLimit("twice"))
            .getMessage().contains("'twice' is not an integer"));
    }

    @Test
    void theSettersRejectWhatThePropertiesReject()
    {
        assertThrows(IllegalArgumentException.class, () -> GridConfig.embedded().channels(0));
        assertThrows(IllegalArgumentException.class, () -> GridConfig.embedded().relocationLimit(-1));
        assertThrows(IllegalArgumentException.class, () -> GridConfig.embedded().channels(65));
        assertThrows(IllegalArgumentException.class, () -> GridConfig.embedded().maxRoundsPerSecond(0));
        assertThrows(IllegalArgumentException.class, () -> GridConfig.embedded().handoffTimeoutMillis(0));
        assertThrows(IllegalArgumentException.class, () -> GridConfig.embedded().traceDirectory(""));
        assertThrows(IllegalArgumentException.class, () -> GridConfig.embedded().machineMemoryReserveBytes(-2));
    }

    @Test
    void theReadmeDocumentsEveryProperty() throws Exception
    {
        final String readme = Files.readString(Paths.get("..", "README.md"));
        for (final String name : propertyNames())
        {
            assertTrue(readme.contains("`" + name + "`"), "README documents " + name);
        }
        assertFalse(propertyNames().isEmpty());
    }
}
