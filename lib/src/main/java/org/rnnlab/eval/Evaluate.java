package org.rnnlab.eval;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.rnnlab.train.Predictor;

/** Evaluates a trained network on held-out data and prints the result, like Keras' {@code model.evaluate}. */
public final class Evaluate {

    private Evaluate() {}

    /** Scores a sentiment classifier on padded sequences and 0/1 labels, prints the report and returns it (null, with a hint, if there is no model). */
    public static BinaryReport binary(MultiLayerNetwork model, int[][] x, int[] labels) {
        if (model == null) {
            System.out.println("⚠ There is no model to evaluate yet: build and train it in the cells above first.");
            return null;
        }
        BinaryReport r = BinaryReport.of(Predictor.predict(model, x), labels);
        System.out.println(r);
        return r;
    }

    /** Predicted probabilities of the positive class for padded sequences (empty, with a hint, if there is no model). */
    public static double[] predictProba(MultiLayerNetwork model, int[][] x) {
        if (model == null) {
            System.out.println("⚠ There is no model to predict with yet: build and train it in the cells above first.");
            return new double[0];
        }
        return Predictor.predict(model, x);
    }

    /** Predicted classes (1 where the probability is above 0.5), like Keras' {@code predict_classes}. */
    public static int[] predictClasses(MultiLayerNetwork model, int[][] x) {
        double[] p = predictProba(model, x);
        int[] c = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            c[i] = p[i] > 0.5 ? 1 : 0;
        }
        return c;
    }
}
