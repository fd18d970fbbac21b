package org.rnnlab.train;

import java.io.PrintStream;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Keras' {@code EarlyStopping} and {@code ModelCheckpoint(save_best_only=True)} in one watcher: after each
 * epoch it keeps the weights if the monitored metric improved, and says when to stop (patience 0: never).
 */
final class EarlyStopping {

    private final String monitor;
    private final int patience;
    private BestWeights best;
    private int sinceBest;

    EarlyStopping(String monitor, int patience) {
        this.monitor = monitor;
        this.patience = patience;
    }

    /** Looks at an epoch's metrics; true when training should stop here. */
    boolean onEpochEnd(int epoch, Map<String, Double> metrics, MultiLayerNetwork model, PrintStream log) {
        Double v = metrics.get(monitor);
        if (v == null) {
            throw new IllegalArgumentException("cannot monitor \"" + monitor + "\": the metrics are " + metrics.keySet()
                    + (monitor.startsWith("val_") ? " (set a validationSplit to get validation metrics)" : ""));
        }
        boolean higherIsBetter = monitor.endsWith("accuracy");
        if (best == null || (higherIsBetter ? v > best.value() : v < best.value())) {
            best = new BestWeights(epoch, monitor, v, model.params());
            sinceBest = 0;
            return false;
        }
        if (patience > 0 && ++sinceBest >= patience) {
            log.printf("Epoch %d: early stopping, %s has not improved for %d epochs.%n", epoch, monitor, patience);
            return true;
        }
        return false;
    }

    /** The weights of the best epoch so far, or null before the first epoch. */
    BestWeights best() {
        return best;
    }
}
