package org.intentgrid.samples.train;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** PNG charts of training and benchmark results (JFreeChart, rendered headless). */
public final class Plots
{
    /** Blue, orange, green, red: distinguishable in print and for the common colour-vision deficiencies. */
    private static final Color[] SERIES_COLORS = {new Color(0x1f, 0x77, 0xb4), new Color(0xff, 0x7f, 0x0e),
        new Color(0x2c, 0xa0, 0x2c), new Color(0xd6, 0x27, 0x28)};

    private Plots()
    {
    }

    /**
     * Writes one line chart.
     *
     * @param points (x, y) pairs
     * @param markerX     where an event happened (a member killed, a job restarted), marked with a labelled line;
     *                    NaN for none
     * @param markerLabel the event's label
     * @return true if written; false (with a warning on stderr) where the JVM cannot render, for example
     *         without any font installed
     */
    public static boolean line(
        final File file, final String title, final String xLabel, final String yLabel, final String series,
        final List<double[]> points, final double markerX, final String markerLabel)
    {
        return lines(file, title, xLabel, yLabel, Map.of(series, points), markerX, markerLabel);
    }

    /**
     * Writes one line chart of several series (in the map's order), for example two runs side by side.
     *
     * @param series per series name, its (x, y) pairs
     * @param markerX     where an event happened, marked with a labelled line; NaN for none
     * @param markerLabel the event's label
     * @return true if written; false (with a warning on stderr) where the JVM cannot render
     */
    public static boolean lines(
        final File file, final String title, final String xLabel, final String yLabel,
        final Map<String, List<double[]>> series, final double markerX, final String markerLabel)
    {
        System.setProperty("java.awt.headless", "true");
        try
        {
            final XYSeriesCollection collection = new XYSeriesCollection();
            int mostPoints = 0;
            for (final Map.Entry<String, List<double[]>> one : series.entrySet())
            {
                final XYSeries data = new XYSeries(one.getKey());
                for (final double[] p : one.getValue())
                {
                    data.add(p[0], p[1]);
                }
                collection.addSeries(data);
                mostPoints = Math.max(mostPoints, one.getValue().size());
            }
            final JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, collection,
                PlotOrientation.VERTICAL, true, false, false);
            final XYPlot plot = chart.getXYPlot();
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, mostPoints <= 50);
            for (int s = 0; s < collection.getSeriesCount(); s++)
            {
                renderer.setSeriesPaint(s, SERIES_COLORS[s % SERIES_COLORS.length]);
                renderer.setSeriesStroke(s, new BasicStroke(2f));
            }
            plot.setRenderer(renderer);
            if (!Double.isNaN(markerX))
            {
                final ValueMarker marker = new ValueMarker(markerX, Color.RED, new BasicStroke(1.5f));
                marker.setLabel(markerLabel);
                marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
                marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
                plot.addDomainMarker(marker);
            }
            return save(file, chart, 800);
        }
        catch (final RuntimeException | LinkageError e)
        {
            return failed(file, e);
        }
    }

    /**
     * Writes one grouped bar chart.
     *
     * @param values per category (x axis group), per series (bar within the group), the value
     * @return true if written; false (with a warning on stderr) where the JVM cannot render
     */
    public static boolean bars(
        final File file, final String title, final String categoryLabel, final String valueLabel,
        final Map<String, Map<String, Double>> values)
    {
        System.setProperty("java.awt.headless", "true");
        try
        {
            final DefaultCategoryDataset data = new DefaultCategoryDataset();
            values.forEach((category, bySeries) -> bySeries.forEach((series, value) ->
                data.addValue(value, series, category)));
            final JFreeChart chart = ChartFactory.createBarChart(title, categoryLabel, valueLabel, data,
                PlotOrientation.VERTICAL, true, false, false);
            final CategoryPlot plot = chart.getCategoryPlot();
            plot.setBackgroundPaint(Color.WHITE);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            return save(file, chart, 1000);
        }
        catch (final RuntimeException | LinkageError e)
        {
            return failed(file, e);
        }
    }

    /** Writes the chart as a PNG 500 pixels high, creating the directory; false (with a warning) if it cannot. */
    private static boolean save(final File file, final JFreeChart chart, final int width)
    {
        try
        {
            final File parent = file.getAbsoluteFile().getParentFile();
            if (parent != null && !parent.isDirectory() && !parent.mkdirs())
            {
                throw new IOException("cannot create directory " + parent);
            }
            ChartUtils.saveChartAsPNG(file, chart, width, 500);
            return true;
        }
        catch (final IOException | RuntimeException | LinkageError e)
        {
            return failed(file, e);
        }
    }

    private static boolean failed(final File file, final Throwable e)
    {
        System.err.println("warning: could not draw " + file + ": " + e);
        return false;
    }
}
