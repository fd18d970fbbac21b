package org.rnnlab.eval;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.rnnlab.data.MinMaxScaler;
import org.rnnlab.data.Windows;
import org.rnnlab.train.Predictor;

/** A forecaster's one-step-ahead predictions for a set of windows, back in the series' own units, with their errors. */
public record Forecast(double[] predicted, double[] actual, RegressionReport errors) {

    /**
     * Predicts the value after each window ({@code asFeatures}: the windows' layout, see
     * {@link Windows#toDataset}) and maps predictions and targets back with {@code scaler}.
     * Prints a hint and returns null if there is no model yet.
     */
    public static Forecast of(MultiLayerNetwork model, Windows windows, boolean asFeatures, MinMaxScaler scaler) {
        if (model == null) {
            System.out.println(
                    "⚠ There is no model to forecast with yet: build and train it in the cells above first.");
            return null;
        }
        float[] p = Predictor.predict(model, windows.toDataset(asFeatures));
        double[] scaled = new double[windows.size()];
        int width = p.length / windows.size();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = p[i * width];
        }
        double[] predicted = scaler.inverseTransform(scaled);
        double[] actual = scaler.inverseTransform(windows.targets());
        return new Forecast(predicted, actual, RegressionReport.of(predicted, actual));
    }
}
