package org.rnnlab.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Plain metric formulas on arrays: ROC AUC for classifiers; MSE, MAE and RMSE for regressors. */
public final class Metrics {

    private Metrics() {}

    /** Area under the ROC curve: the probability that a random positive scores above a random negative (ties count half). */
    public static double rocAuc(double[] scores, int[] labels) {
        Integer[] idx = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, Comparator.comparingDouble(i -> scores[i]));
        double rankSumPos = 0;
        long pos = 0;
        for (int i = 0; i < idx.length; ) {
            int j = i;
            while (j + 1 < idx.length && scores[idx[j + 1]] == scores[idx[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[idx[k]] == 1) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = scores.length - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / (pos * (double) neg);
    }

    /** Mean squared error. */
    public static double mse(double[] predicted, double[] actual) {
        check(predicted, actual);
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            s += (predicted[i] - actual[i]) * (predicted[i] - actual[i]);
        }
        return s / actual.length;
    }

    /** Mean absolute error. */
    public static double mae(double[] predicted, double[] actual) {
        check(predicted, actual);
        double s = 0;
        for (int i = 0; i < actual.length; i++) {
            s += Math.abs(predicted[i] - actual[i]);
        }
        return s / actual.length;
    }

    /** Root mean squared error. */
    public static double rmse(double[] predicted, double[] actual) {
        return Math.sqrt(mse(predicted, actual));
    }

    private static void check(double[] predicted, double[] actual) {
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException(
                    "there are " + predicted.length + " predictions but " + actual.length + " true values");
        }
        if (actual.length == 0) {
            throw new IllegalArgumentException("there is nothing to evaluate: no predictions");
        }
    }
}
