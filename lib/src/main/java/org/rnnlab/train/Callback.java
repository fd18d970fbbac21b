package org.rnnlab.train;

/**
 * Code that {@link Trainer#fit} runs as training goes, like a Keras callback: once before the first
 * epoch, then after every epoch with the history so far.
 */
public interface Callback {

    /** Before the first epoch; {@code epochs} is how many will run (after any cap). */
    default void onTrainBegin(int epochs) {}

    /** After each epoch, with every epoch so far (the latest last). */
    void onEpochEnd(History soFar);
}
