package org.intentgrid;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.IExecutorService;
import org.example.training.OutsideTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Embedded members resolve Java-serialized classes of intentgrid, Hazelcast, the JDK and the prefixes the user
 * names, and refuse every other class before instantiating it, as the example member configuration does.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SerializationFilterTest
{
    private static Future<String> runOnTheOtherMember(final ParameterGrid grid)
    {
        final IExecutorService executor = grid.member(0).hazelcast().getExecutorService("filter-test");
        final Member other = grid.member(1).hazelcast().getCluster().getLocalMember();
        return executor.submitToMember(new OutsideTask(), other);
    }

    @Test
    void aClassOutsideTheListedPrefixesIsRefusedAndOneInsideRuns() throws Exception
    {
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(2)))
        {
            final ExecutionException refused = assertThrows(ExecutionException.class,
                () -> runOnTheOtherMember(grid).get(60, TimeUnit.SECONDS));
            final String chain = causes(refused);
            assertTrue(chain.contains("org.example.training.OutsideTask") && chain.contains("is not allowed"),
                "refused by the filter, naming the class: " + chain);
        }
        try (ParameterGrid grid = ParameterGrid.start(
            GridConfig.embedded().members(2).javaSerializationPrefixes("org.example.training.")))
        {
            assertEquals("ran outside org.intentgrid", runOnTheOtherMember(grid).get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void blankOrNullPrefixesAreRejectedNamingWhichOne()
    {
        final IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
            () -> GridConfig.embedded().javaSerializationPrefixes("com.example.", " "));
        assertTrue(blank.getMessage().contains("prefix 1 is blank"), blank.getMessage());
        final IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
            () -> GridConfig.embedded().javaSerializationPrefixes((String[])null));
        assertTrue(none.getMessage().contains("must not be null"), none.getMessage());
        assertEquals(List.of("org.intentgrid.", "com.example."),
            GridConfig.embedded().javaSerializationPrefixes("com.example.").javaSerializationPrefixes());
    }

    private static String causes(final Throwable thrown)
    {
        final StringBuilder chain = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause())
        {
            chain.append(t).append(" <- ");
        }
        return chain.toString();
    }
}
