package org.intentgrid.samples.train;

import org.intentgrid.GridConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a training run produced: one row per epoch plus the share of local accesses over time. */
public final class TrainingResult
{
    private final String app;
    private final String dataset;
    private final String qualityMetric;
    private final boolean higherIsBetter;
    private final String mode;
    private final int members;
    private final int threads;
    private final List<Map<String, Object>> epochs = new ArrayList<>();
    private final List<double[]> locality = new ArrayList<>();
    private double initialQuality = Double.NaN;
    private CrashReport crash;
    private double crashWallSeconds = Double.NaN;
    private int relocationLimit = GridConfig.RELOCATION_LIMIT_DEFAULT;

    TrainingResult(final TrainingApp app, final String mode, final int members, final int threads)
    {
        this.app = app.name();
        this.dataset = app.dataset();
        this.qualityMetric = app.qualityMetric();
        this.higherIsBetter = app.higherIsBetter();
        this.mode = mode;
        this.members = members;
        this.threads = threads;
    }

    void addEpoch(final Map<String, Object> row)
    {
        epochs.add(row);
    }

    synchronized void addLocality(final double seconds, final double share)
    {
        locality.add(new double[] {seconds, share});
    }

    void relocationLimit(final int limit)
    {
        this.relocationLimit = limit;
    }

    void crash(final CrashReport report, final double wallSeconds)
    {
        this.crash = report;
        this.crashWallSeconds = wallSeconds;
    }

    /** @return the killed member's report, or null if no member was killed */
    public CrashReport crash()
    {
        return crash;
    }

    /** @return training seconds at which a member was killed, or NaN */
    public double crashWallSeconds()
    {
        return crashWallSeconds;
    }

    void initialQuality(final double quality)
    {
        this.initialQuality = quality;
    }

    /** @return the epoch rows, in order */
    public List<Map<String, Object>> epochs()
    {
        return epochs;
    }

    /** @return the quality metric's value after the last epoch */
    public double finalQuality()
    {
        return quality(epochs.get(epochs.size() - 1));
    }

    /** @return the quality metric's value before training */
    public double initialQuality()
    {
        return initialQuality;
    }

    /** @return (seconds of training, quality) before training and after every epoch */
    public List<double[]> qualityOverTime()
    {
        final List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, initialQuality});
        for (final Map<String, Object> row : epochs)
        {
            points.add(new double[] {((Number)row.get("wall_seconds")).doubleValue(), quality(row)});
        }
        return points;
    }

    /** @return whether a larger value of the quality metric is better */
    public boolean higherIsBetter()
    {
        return higherIsBetter;
    }

    /** @return the metric's value in one epoch row */
    public double quality(final Map<String, Object> row)
    {
        return ((Number)row.get(qualityMetric)).doubleValue();
    }

    /** @return name of the quality metric */
    public String qualityMetric()
    {
        return qualityMetric;
    }

    /** @return the epoch row with the best quality */
    public Map<String, Object> bestEpoch()
    {
        Map<String, Object> best = epochs.get(0);
        for (final Map<String, Object> row : epochs)
        {
            if (higherIsBetter ? quality(row) > quality(best) : quality(row) < quality(best))
            {
                best = row;
            }
        }
        return best;
    }

    /** @return the run's description for file names and titles */
    public String label()
    {
        return app + ", " + members + " member" + (members == 1 ? "" : "s") + " x " + threads + " thread" +
            (threads == 1 ? "" : "s") + ", " + mode;
    }

    /** @return (seconds of training, local share) samples */
    public synchronized List<double[]> locality()
    {
        return new ArrayList<>(locality);
    }

    /** @return the JSON document of the result file */
    public Map<String, Object> toJson()
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("app", app);
        json.put("mode", mode);
        json.put("relocation_limit", relocationLimit == Integer.MAX_VALUE ? "none" : relocationLimit);
        json.put("members", members);
        json.put("threads", threads);
        json.put("dataset", dataset);
        json.put("quality_metric", qualityMetric);
        json.put("quality_higher_is_better", higherIsBetter);
        json.put("initial_quality", initialQuality);
        json.put("epochs", epochs);
        if (crash != null)
        {
            final Map<String, Object> killed = crash.toJson();
            killed.put("wall_seconds", crashWallSeconds);
            json.put("crash", killed);
        }
        final List<Map<String, Double>> series = new ArrayList<>();
        for (final double[] point : locality())
        {
            final Map<String, Double> p = new LinkedHashMap<>();
            p.put("seconds", point[0]);
            p.put("local_share", point[1]);
            series.add(p);
        }
        json.put("local_share_over_time", series);
        return json;
    }
}
