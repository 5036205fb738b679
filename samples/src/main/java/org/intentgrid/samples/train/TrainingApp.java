package org.intentgrid.samples.train;

import org.intentgrid.ParameterGrid;

import java.util.Map;

/**
 * One training application as the {@link Trainer} drives it: set up tables, train one worker's share of an epoch,
 * evaluate. Implementations hold the data and hyper-parameters; they must be safe for one thread per worker.
 */
public interface TrainingApp
{
    /** @return short name, as in the JSON field {@code app} */
    String name();

    /** @return where the data came from (a directory or a description of the generated set) */
    String dataset();

    /** @return the app metric plotted as quality over time, for example {@code valid_mrr_filtered} */
    String qualityMetric();

    /** @return true if a larger {@link #qualityMetric()} is better */
    boolean higherIsBetter();

    /**
     * Declares the tables (idempotent) and enables sampling on the grid's local members. Called on every JVM of
     * the run, before {@link #initialize} and before any worker trains there.
     *
     * @param tablePrefix prepended to every table name: empty, except in a run on a long-lived cluster, whose
     *                    tables belong to the run (and are dropped at its end)
     */
    void declare(ParameterGrid grid, int workers, String tablePrefix);

    /** Sets the initial parameter values; called once per run, after {@link #declare}. */
    void initialize(ParameterGrid grid);

    /** @return examples one epoch processes over all workers (for progress) */
    long examplesPerEpoch();

    /**
     * Trains one worker's share of an epoch.
     *
     * @return the summed loss and the number of loss terms, {@code {loss, count}}
     */
    double[] trainEpoch(EpochContext context);

    /**
     * Called on the driver before an epoch that a lost member interrupted is trained again from its start (see
     * {@link CrashReport#epochRepeated()}): an app that keeps per-epoch state in the grid forgets what the
     * interrupted attempt left there. The default keeps everything.
     */
    default void beforeRepeat(final ParameterGrid grid, final int epoch)
    {
    }

    /** @return the app metrics after an epoch (the store is synchronized: every update is visible) */
    Map<String, Object> evaluate(ParameterGrid grid);
}
