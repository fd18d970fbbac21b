package org.rnnlab.eval;

/** Errors of a regressor's predictions: MSE, MAE and RMSE, in the units of the values given. */
public record RegressionReport(double mse, double mae, double rmse, int count) {

    /** Scores predictions against the true values. */
    public static RegressionReport of(double[] predicted, double[] actual) {
        return new RegressionReport(
                Metrics.mse(predicted, actual),
                Metrics.mae(predicted, actual),
                Metrics.rmse(predicted, actual),
                actual.length);
    }

    @Override
    public String toString() {
        return String.format("RMSE %.4f   MAE %.4f   MSE %.4f   (%,d values)", rmse, mae, mse, count);
    }
}
