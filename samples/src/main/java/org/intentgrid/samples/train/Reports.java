package org.intentgrid.samples.train;

import org.intentgrid.samples.Json;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes a {@link TrainingResult}: the summary table, the JSON file and the PNG plots next to it. */
public final class Reports
{
    private Reports()
    {
    }

    /** Prints the summary, writes JSON and plots; returns the files written. */
    public static List<File> write(final TrainingResult result, final File json)
    {
        printSummary(result);
        final List<File> files = new ArrayList<>();
        Json.write(json, result.toJson());
        files.add(json);
        final String base = json.getPath().endsWith(".json") ?
            json.getPath().substring(0, json.getPath().length() - 5) : json.getPath();
        final List<double[]> quality = result.qualityOverTime();
        final File qualityPng = new File(base + "-quality.png");
        if (Plots.line(qualityPng, result.qualityMetric() + " over training time (" + result.label() + ")",
            "training seconds", result.qualityMetric(), result.qualityMetric(), quality, result.crashWallSeconds(),
            "member killed"))
        {
            files.add(qualityPng);
        }
        final File localityPng = new File(base + "-locality.png");
        if (Plots.line(localityPng, "share of local accesses (" + result.label() + ")", "training seconds",
            "local share", "local share", result.locality(), result.crashWallSeconds(), "member killed"))
        {
            files.add(localityPng);
        }
        System.out.println();
        for (final File file : files)
        {
            System.out.println("wrote " + file);
        }
        return files;
    }

    private static void printSummary(final TrainingResult result)
    {
        System.out.printf("%nSummary: %s%n", result.label());
        System.out.printf("%-6s %9s %11s %9s %13s %14s%n", "epoch", "seconds", "train loss", "local", "bytes sent",
            result.qualityMetric());
        for (final Map<String, Object> row : result.epochs())
        {
            System.out.printf("%-6d %9.2f %11.4f %8.1f%% %13d %14.4f%n", row.get("epoch"), row.get("seconds"),
                row.get("train_loss"), 100 * (double)row.get("local_share"), row.get("bytes_sent"),
                    result.quality(row));
        }
        final Map<String, Object> best = result.bestEpoch();
        final int firstEpoch = (Integer)result.epochs().get(0).get("epoch");
        System.out.printf("best %s %.4f after epoch %d (%.4f %s)%n", result.qualityMetric(), result.quality(best),
            best.get("epoch"), result.initialQuality(), firstEpoch == 1 ? "before training" :
                "at the start, resumed after epoch " + (firstEpoch - 1));
    }
}
