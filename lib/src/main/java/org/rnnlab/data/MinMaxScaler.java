package org.rnnlab.data;

/**
 * Scikit-learn's {@code MinMaxScaler} for one series: learns the minimum and maximum in
 * {@link #fit}, maps values linearly onto a range (default [0, 1]) and back.
 */
public final class MinMaxScaler {

    private final double low;
    private final double high;
    private double min = Double.NaN;
    private double max = Double.NaN;

    /** A scaler onto [0, 1]. */
    public MinMaxScaler() {
        this(0, 1);
    }

    /** A scaler onto [low, high]. */
    public MinMaxScaler(double low, double high) {
        if (!(low < high)) {
            throw new IllegalArgumentException("the range must have low < high, was [" + low + ", " + high + "]");
        }
        this.low = low;
        this.high = high;
    }

    /** Learns the minimum and maximum of {@code values}. */
    public MinMaxScaler fit(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("cannot fit a scaler to no values");
        }
        min = Double.POSITIVE_INFINITY;
        max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return this;
    }

    /** Fits and transforms in one step. */
    public double[] fitTransform(double[] values) {
        return fit(values).transform(values);
    }

    /** Maps values onto the range (values outside the fitted min/max land outside it). */
    public double[] transform(double[] values) {
        requireFitted();
        double span = max - min;
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double unit = span == 0 ? 0 : (values[i] - min) / span; // a constant series maps to low, as in scikit-learn
            out[i] = low + unit * (high - low);
        }
        return out;
    }

    /** Maps scaled values back to the original units. */
    public double[] inverseTransform(double[] scaled) {
        requireFitted();
        double[] out = new double[scaled.length];
        for (int i = 0; i < scaled.length; i++) {
            out[i] = min + (scaled[i] - low) / (high - low) * (max - min);
        }
        return out;
    }

    /** The fitted minimum. */
    public double dataMin() {
        requireFitted();
        return min;
    }

    /** The fitted maximum. */
    public double dataMax() {
        requireFitted();
        return max;
    }

    private void requireFitted() {
        if (Double.isNaN(min)) {
            throw new IllegalStateException("the scaler is not fitted yet: call fit(trainValues) first");
        }
    }
}
