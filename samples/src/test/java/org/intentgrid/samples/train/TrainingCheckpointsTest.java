package org.intentgrid.samples.train;

import org.intentgrid.GridConfig;
import org.intentgrid.Init;
import org.intentgrid.ParameterGrid;
import org.intentgrid.TableSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A run on a long-lived cluster checkpoints and saves only its own tables (named with its prefix), and saves them
 * under the names a run on embedded members uses; other runs' and jobs' tables on the cluster are left alone.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrainingCheckpointsTest
{
    private static final String PREFIX = "run-0badcafe-";

    @Test
    void aRunCheckpointsAndSavesOnlyItsOwnTablesUnderTheirPlainNames(@TempDir final Path dir) throws IOException
    {
        try (ParameterGrid grid = ParameterGrid.start(GridConfig.embedded().members(1)))
        {
            grid.table(TableSpec.of(PREFIX + "rows", 100, 4).init(Init.uniform(-1, 1, 1)));
            grid.table(TableSpec.of(PREFIX + "columns", 50, 4).init(Init.uniform(-1, 1, 2)));
            grid.table(TableSpec.of("another-job", 10_000, 64).init(Init.uniform(-1, 1, 3)));

            TrainingCheckpoints.write(grid, PREFIX, dir.resolve("ckpt"), 1);
            final Properties manifest = new Properties();
            try (InputStream in = Files.newInputStream(dir.resolve("ckpt").resolve("epoch-1")
                .resolve("manifest.properties")))
            {
                manifest.load(in);
            }
            assertEquals("2", manifest.getProperty("tables"), "the run's two tables only: " + manifest);
            assertEquals(List.of(PREFIX + "columns", PREFIX + "rows"),
                List.of(manifest.getProperty("table.0.name"), manifest.getProperty("table.1.name")));

            TrainingCheckpoints.export(grid, PREFIX, dir.resolve("model"));
            try (Stream<Path> files = Files.list(dir.resolve("model")))
            {
                assertEquals(List.of("columns.npy", "rows.npy"), files.map(f -> f.getFileName().toString()).sorted()
                    .collect(Collectors.toList()), "named as in an embedded run; the other job's table not exported");
            }
            assertEquals(3, TrainingCheckpoints.tablesOf(grid, "").size(), "without a prefix, every table");
        }
    }
}
