package org.rnnlab.data;

/**
 * Sliding windows over a series for one-step-ahead forecasting: sample i holds the values
 * {@code series[i .. i+lookback-1]} and its target is {@code series[i+lookback]}.
 *
 * @param inputs  {@code n × lookback} windows
 * @param targets the value following each window
 */
public record Windows(double[][] inputs, double[] targets, int lookback) {

    /** Every window of {@code lookback} values that has a following value: {@code series.length - lookback} samples. */
    public static Windows of(double[] series, int lookback) {
        if (lookback < 1) {
            throw new IllegalArgumentException("lookback must be at least 1, was " + lookback);
        }
        if (lookback >= series.length) {
            throw new IllegalArgumentException("a lookback of " + lookback + " needs a series longer than " + lookback
                    + " values; this one has " + series.length);
        }
        int n = series.length - lookback;
        double[][] x = new double[n][lookback];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(series, i, x[i], 0, lookback);
            y[i] = series[i + lookback];
        }
        return new Windows(x, y, lookback);
    }

    /** Number of windows. */
    public int size() {
        return targets.length;
    }

    /**
     * The windows as a dataset for a recurrent network: one feature over {@code lookback} time steps
     * (DL4J shape [n, 1, lookback]); with {@code asFeatures} instead {@code lookback} features at one
     * time step ([n, lookback, 1]), the layout of the classic Keras airline example.
     */
    public SequenceDataset toDataset(boolean asFeatures) {
        int n = size();
        float[] f = new float[n * lookback];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < lookback; t++) {
                f[i * lookback + t] = (float) inputs[i][t];
            }
        }
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (float) targets[i];
        }
        long[] shape = asFeatures ? new long[] {lookback, 1} : new long[] {1, lookback};
        return new SequenceDataset(f, shape, y, 1);
    }
}
