package org.rnnlab.eval;

/**
 * How well a binary classifier's predicted probabilities match the true labels: the confusion
 * matrix at a threshold, accuracy, precision, recall, F1, and the threshold-free ROC AUC.
 */
public record BinaryReport(
        int trueNegatives, int falsePositives, int falseNegatives, int truePositives, double threshold, double auc) {

    /** Scores probabilities against labels (0 or 1) at the threshold 0.5. */
    public static BinaryReport of(double[] probabilities, int[] labels) {
        return of(probabilities, labels, 0.5);
    }

    /** Scores probabilities against labels (0 or 1): a probability above {@code threshold} predicts 1. */
    public static BinaryReport of(double[] probabilities, int[] labels, double threshold) {
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException("there are " + probabilities.length + " predictions but " + labels.length
                    + " labels: give one label per prediction");
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("there is nothing to evaluate: no predictions");
        }
        int tn = 0, fp = 0, fn = 0, tp = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException(
                        "label " + i + " is " + labels[i] + ": binary labels must be 0 or 1");
            }
            boolean predicted = probabilities[i] > threshold;
            if (labels[i] == 1) {
                if (predicted) tp++;
                else fn++;
            } else {
                if (predicted) fp++;
                else tn++;
            }
        }
        return new BinaryReport(tn, fp, fn, tp, threshold, Metrics.rocAuc(probabilities, labels));
    }

    /** Number of samples. */
    public int total() {
        return trueNegatives + falsePositives + falseNegatives + truePositives;
    }

    /** Fraction classified correctly. */
    public double accuracy() {
        return (double) (truePositives + trueNegatives) / total();
    }

    /** Of those predicted positive, the fraction that are (0 when none are predicted positive). */
    public double precision() {
        int p = truePositives + falsePositives;
        return p == 0 ? 0 : (double) truePositives / p;
    }

    /** Of the positives, the fraction found (0 when there are none). */
    public double recall() {
        int p = truePositives + falseNegatives;
        return p == 0 ? 0 : (double) truePositives / p;
    }

    /** Harmonic mean of precision and recall. */
    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** The confusion matrix, rows true class (0, 1), columns predicted class (0, 1). */
    public int[][] confusionMatrix() {
        return new int[][] {{trueNegatives, falsePositives}, {falseNegatives, truePositives}};
    }

    @Override
    public String toString() {
        return String.format(
                """
                Accuracy:  %.2f %%   (%,d of %,d)
                Precision: %.4f   Recall: %.4f   F1: %.4f   ROC AUC: %.4f
                Confusion matrix (rows: true, columns: predicted)
                               pred neg  pred pos
                  true neg   %9d %9d
                  true pos   %9d %9d""",
                100 * accuracy(),
                truePositives + trueNegatives,
                total(),
                precision(),
                recall(),
                f1(),
                auc,
                trueNegatives,
                falsePositives,
                falseNegatives,
                truePositives);
    }
}
