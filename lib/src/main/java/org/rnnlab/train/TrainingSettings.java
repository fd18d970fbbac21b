package org.rnnlab.train;

/**
 * How a {@link Trainer} is set up to train, as Keras' {@code fit} arguments name it: epochs, batch
 * size, validation split, and the metric whose best epoch's weights are kept (null if none).
 */
public record TrainingSettings(int epochs, int batchSize, double validationSplit, String keepBestOf, int patience) {}
