package org.intentgrid.samples.kge;

import picocli.CommandLine.Option;

/** The model and optimizer options that the batch {@code kge} app and the streaming job share. */
public final class ModelOptions
{
    @Option(names = "--model", defaultValue = "complex",
        description = "complex, distmult or rescal (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--dim", defaultValue = "100", description = "floats per embedding (default ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--neg-ratio", defaultValue = "6",
        description = "negatives per side and triple (default ${DEFAULT-VALUE})")
    int negRatio;

    @Option(names = "--lr", defaultValue = "0.1", description = "AdaGrad learning rate (default ${DEFAULT-VALUE})")
    double learningRate;

    @Option(names = "--reg", defaultValue = "1e-4", description = "L2 regularization weight (default ${DEFAULT-VALUE})")
    double regularization;

    /**
     * @return the parsed model
     * @throws IllegalArgumentException naming the option for an unknown model, an odd or too small {@code --dim},
     *                                  {@code --neg-ratio < 1}, {@code --lr <= 0} or {@code --reg < 0}
     */
    KgeModel validated()
    {
        final KgeModel parsed = KgeModel.parse(model);
        if (dim < 2 || dim % 2 != 0)
        {
            throw new IllegalArgumentException("--dim " + dim + " is invalid; expected an even number >= 2");
        }
        if (negRatio < 1 || learningRate <= 0 || regularization < 0)
        {
            throw new IllegalArgumentException("expected --neg-ratio >= 1, --lr > 0, --reg >= 0; got " + negRatio +
                ", " + learningRate + ", " + regularization);
        }
        return parsed;
    }
}
