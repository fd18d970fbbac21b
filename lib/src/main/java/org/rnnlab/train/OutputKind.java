package org.rnnlab.train;

import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossL1;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * What a network's output layer predicts, read from its loss function, and so which metric is
 * reported beside the loss (Keras' {@code accuracy} for classifiers, {@code mae} for regressors)
 * and how loss and metric are computed from predictions.
 */
enum OutputKind {
    /** One sigmoid unit, binary cross-entropy: metric accuracy at threshold 0.5. */
    BINARY("accuracy"),
    /** Softmax over classes, categorical cross-entropy: metric accuracy of the arg-max. */
    CATEGORICAL("accuracy"),
    /** Mean squared error: metric mean absolute error. */
    MSE("mae"),
    /** Mean absolute error: metric mean absolute error. */
    MAE("mae"),
    /** Any other loss: no metric, the loss comes from DL4J. */
    OTHER(null);

    /** Keras' name of the metric beside the loss, or null. */
    final String metric;

    OutputKind(String metric) {
        this.metric = metric;
    }

    static OutputKind of(MultiLayerNetwork model) {
        var layers = model.getLayerWiseConfigurations().getConfs();
        var last = layers.get(layers.size() - 1).getLayer();
        if (!(last instanceof BaseOutputLayer out)) {
            return OTHER;
        }
        ILossFunction loss = out.getLossFn();
        if (loss instanceof LossBinaryXENT) {
            return BINARY;
        }
        if (loss instanceof LossMCXENT) {
            return CATEGORICAL;
        }
        if (loss instanceof LossMSE || loss instanceof LossL2) {
            return MSE;
        }
        if (loss instanceof LossMAE || loss instanceof LossL1) {
            return MAE;
        }
        return OTHER;
    }

    /** Mean loss of predictions {@code p} against targets {@code y} (both row-major, {@code width} per sample), Keras' formula. */
    double loss(float[] p, float[] y, int width) {
        int n = y.length / width;
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double pi = p[i];
            double yi = y[i];
            switch (this) {
                case BINARY -> {
                    double q = Math.min(Math.max(pi, 1e-7), 1 - 1e-7);
                    sum += -(yi * Math.log(q) + (1 - yi) * Math.log(1 - q));
                }
                case CATEGORICAL -> sum += yi == 0 ? 0 : -yi * Math.log(Math.max(pi, 1e-7));
                case MSE -> sum += (pi - yi) * (pi - yi);
                case MAE -> sum += Math.abs(pi - yi);
                default -> throw new IllegalStateException("no formula for " + this);
            }
        }
        return this == CATEGORICAL ? sum / n : sum / y.length;
    }

    /** The metric of predictions against targets: accuracy or mean absolute error. */
    double metric(float[] p, float[] y, int width) {
        int n = y.length / width;
        switch (this) {
            case BINARY -> {
                int right = 0;
                for (int i = 0; i < y.length; i++) {
                    right += (p[i] > 0.5) == (y[i] > 0.5) ? 1 : 0;
                }
                return (double) right / y.length;
            }
            case CATEGORICAL -> {
                int right = 0;
                for (int r = 0; r < n; r++) {
                    int bp = 0;
                    int by = 0;
                    for (int c = 1; c < width; c++) {
                        bp = p[r * width + c] > p[r * width + bp] ? c : bp;
                        by = y[r * width + c] > y[r * width + by] ? c : by;
                    }
                    right += bp == by ? 1 : 0;
                }
                return (double) right / n;
            }
            case MSE, MAE -> {
                double s = 0;
                for (int i = 0; i < y.length; i++) {
                    s += Math.abs(p[i] - y[i]);
                }
                return s / y.length;
            }
            default -> throw new IllegalStateException("no metric for " + this);
        }
    }
}
