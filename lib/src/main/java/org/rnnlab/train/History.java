package org.rnnlab.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnlab.Mode;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * What a training run recorded, like Keras' {@code History}: per epoch the loss, the metric and
 * their validation counterparts (names as Keras writes them: {@code loss}, {@code accuracy},
 * {@code val_loss}, {@code val_accuracy}), the seconds each epoch took, and the run's mode.
 */
public record History(List<Map<String, Double>> epochs, List<Double> epochSeconds, int requestedEpochs, Mode mode) {

    /** Copies the per-epoch maps so the record stays unmodifiable. */
    public History {
        List<Map<String, Double>> copy = new ArrayList<>();
        for (Map<String, Double> e : epochs) {
            copy.add(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(e)));
        }
        epochs = List.copyOf(copy);
        epochSeconds = List.copyOf(epochSeconds);
    }

    /** A history of no epochs: what training returns when there was no model to train. */
    public static History empty(Mode mode) {
        return new History(List.of(), List.of(), 0, mode);
    }

    /** Whether any epoch was recorded. */
    public boolean isEmpty() {
        return epochs.isEmpty();
    }

    /** Number of epochs trained. */
    public int epochCount() {
        return epochs.size();
    }

    /** The metric names in Keras' order (loss, metric, val_loss, val_metric). */
    public List<String> keys() {
        return epochs.isEmpty() ? List.of() : List.copyOf(epochs.get(0).keySet());
    }

    /** One metric over the epochs, e.g. {@code get("val_accuracy")}. */
    public double[] get(String key) {
        if (!isEmpty() && !epochs.get(0).containsKey(key)) {
            throw new IllegalArgumentException("no metric \"" + key + "\" in this history; it has " + keys());
        }
        return epochs.stream().mapToDouble(e -> e.get(key)).toArray();
    }

    /** The value of a metric at the last epoch. */
    public double last(String key) {
        double[] v = get(key);
        if (v.length == 0) {
            throw new IllegalStateException("the history is empty: nothing was trained");
        }
        return v[v.length - 1];
    }

    /** The epoch (from 1) where {@code key} was best: highest for accuracies, lowest for losses and errors. */
    public int bestEpoch(String key) {
        double[] v = get(key);
        if (v.length == 0) {
            throw new IllegalStateException("the history is empty: nothing was trained");
        }
        boolean higherIsBetter = key.endsWith("accuracy");
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (higherIsBetter ? v[i] > v[best] : v[i] < v[best]) {
                best = i;
            }
        }
        return best + 1;
    }

    /** Total training seconds. */
    public double totalSeconds() {
        return epochSeconds.stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The name of the metric beside the loss ({@code accuracy} or {@code mae}), or null if none. */
    public String metricName() {
        return keys().stream()
                .filter(k -> !k.startsWith("val_") && !k.equals("loss"))
                .findFirst()
                .orElse(null);
    }

    /** The history as a Tablesaw table: one row per epoch, one column per metric, and seconds. */
    public Table toTable() {
        Table t = Table.create("history");
        t.addColumns(IntColumn.create(
                "epoch",
                java.util.stream.IntStream.rangeClosed(1, epochs.size()).toArray()));
        for (String k : keys()) {
            t.addColumns(DoubleColumn.create(k, get(k)));
        }
        t.addColumns(DoubleColumn.create(
                "seconds",
                epochSeconds.stream().mapToDouble(Double::doubleValue).toArray()));
        return t;
    }

    @Override
    public String toString() {
        return "History" + Arrays.toString(keys().toArray()) + " over " + epochs.size() + " epochs";
    }
}
