package org.rnnlab.plot;

import org.rnnlab.jupyter.LiveDisplay;
import org.rnnlab.train.Callback;
import org.rnnlab.train.History;

/**
 * The training curves of {@link Plots#history}, drawn in the training cell and redrawn in place
 * after every epoch while {@code fit} runs (Keras users know the idea from livelossplot).
 * Outside a notebook it draws nothing.
 */
public final class LiveHistory implements Callback {

    private final LiveDisplay display = new LiveDisplay();

    LiveHistory() {}

    @Override
    public void onTrainBegin(int epochs) {
        display.show(Plots.message(
                String.format("Training curves: drawn after each of the %d epoch%s.", epochs, epochs == 1 ? "" : "s")));
    }

    @Override
    public void onEpochEnd(History soFar) {
        display.show(Plots.history(soFar));
    }
}
