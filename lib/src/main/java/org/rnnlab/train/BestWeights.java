package org.rnnlab.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A copy of a network's parameters at the epoch where a monitored metric was best, like the weights
 * Keras' {@code EarlyStopping(restore_best_weights=True)} keeps.
 */
public record BestWeights(int epoch, String monitor, double value, INDArray params) {

    /** Copies the parameters so later training cannot change them. */
    public BestWeights {
        params = params.dup();
    }

    /** Puts these weights into {@code model} (which must have the same architecture). */
    public void applyTo(MultiLayerNetwork model) {
        if (model.numParams() != params.length()) {
            throw new IllegalArgumentException("these weights hold " + params.length() + " parameters, the model has "
                    + model.numParams() + ": they belong to another architecture");
        }
        model.setParams(params.dup());
    }

    @Override
    public String toString() {
        return String.format("weights of epoch %d (%s %.4f)", epoch, monitor, value);
    }
}
