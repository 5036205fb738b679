package org.intentgrid.samples.mf;

import org.intentgrid.jet.StepBatch;
import org.intentgrid.jet.TrainingStep;

/**
 * The mf app's model as a streaming step: squared error of each entry's row-column product, L2 regularization per
 * entry, plain SGD at a fixed rate (a stream has no epochs for the batch app's bold driver to judge). Table 0 holds
 * the row factors, table 1 the column factors, {@code rank} floats each.
 */
final class MfStreamStep implements TrainingStep<StreamRating>
{
    private static final long serialVersionUID = 1L;

    private final int rank;
    private final double learningRate;
    private final double regularization;

    MfStreamStep(final int rank, final double learningRate, final double regularization)
    {
        this.rank = rank;
        this.learningRate = learningRate;
        this.regularization = regularization;
    }

    @Override
    public double train(final StepBatch<StreamRating> batch)
    {
        final float[] rows = batch.values(0);
        final float[] columns = batch.values(1);
        final float[] rowUpdates = batch.updates(0);
        final float[] columnUpdates = batch.updates(1);
        double loss = 0;
        for (int i = 0; i < batch.size(); i++)
        {
            final int r = batch.offset(0, i, 0);
            final int c = batch.offset(1, i, 0);
            final double error = MfApp.error(rows, r, columns, c, rank, batch.item(i).value());
            loss += error * error;
            MfApp.sgd(rows, r, columns, c, rank, error, learningRate, regularization, rowUpdates, columnUpdates);
        }
        return loss;
    }
}
