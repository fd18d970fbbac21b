package org.rnnlab.data;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Samples and targets held as plain arrays, ready to be cut into DL4J mini-batches.
 *
 * <p>Each sample is a block of {@code sampleShape} floats (for token sequences: one index per time
 * step; for numeric series: features × time steps, DL4J's order); each target is a row of
 * {@code labelWidth} floats. {@link #split} takes Keras' {@code validation_split}: the last fraction
 * of the samples, before any shuffling.
 */
public record SequenceDataset(float[] features, long[] sampleShape, float[] labels, int labelWidth) {

    /** Checks that features and labels describe the same number of samples. */
    public SequenceDataset {
        long per = Arrays.stream(sampleShape).reduce(1, (a, b) -> a * b);
        if (per <= 0 || features.length % per != 0) {
            throw new IllegalArgumentException("features hold " + features.length
                    + " values, not a whole number of samples of shape " + Arrays.toString(sampleShape));
        }
        if (labelWidth <= 0 || labels.length % labelWidth != 0) {
            throw new IllegalArgumentException(
                    "labels hold " + labels.length + " values, not a whole number of rows of width " + labelWidth);
        }
        if (features.length / per != labels.length / labelWidth) {
            throw new IllegalArgumentException("there are " + features.length / per + " samples but "
                    + labels.length / labelWidth + " labels: give one label per sample");
        }
    }

    /** Padded token sequences (one row per text) with one binary or numeric target each. */
    public static SequenceDataset of(int[][] sequences, int[] labels) {
        double[] y = new double[labels.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[i];
        }
        return of(sequences, y);
    }

    /** Padded token sequences (one row per text) with one numeric target each. */
    public static SequenceDataset of(int[][] sequences, double[] targets) {
        if (sequences.length != targets.length) {
            throw new IllegalArgumentException("there are " + sequences.length + " sequences but " + targets.length
                    + " labels: give one label per sequence");
        }
        if (sequences.length == 0) {
            throw new IllegalArgumentException("there are no sequences");
        }
        int t = sequences[0].length;
        float[] f = new float[sequences.length * t];
        for (int i = 0; i < sequences.length; i++) {
            if (sequences[i].length != t) {
                throw new IllegalArgumentException("sequence " + i + " has length " + sequences[i].length
                        + ", the first has " + t + ": pad them to one length with padSequences");
            }
            for (int j = 0; j < t; j++) {
                f[i * t + j] = sequences[i][j];
            }
        }
        float[] y = new float[targets.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) targets[i];
        }
        return new SequenceDataset(f, new long[] {t}, y, 1);
    }

    /** Number of samples. */
    public int size() {
        return labels.length / labelWidth;
    }

    private int sampleSize() {
        return (int) Arrays.stream(sampleShape).reduce(1, (a, b) -> a * b);
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive). */
    public SequenceDataset slice(int from, int to) {
        int s = sampleSize();
        return new SequenceDataset(
                Arrays.copyOfRange(features, from * s, to * s),
                sampleShape.clone(),
                Arrays.copyOfRange(labels, from * labelWidth, to * labelWidth),
                labelWidth);
    }

    /** Keras' {@code validation_split}: the first part for training, the last {@code fraction} for validation. */
    public Split split(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException(
                    "the validation fraction must be between 0 and 1 (exclusive), was " + fraction);
        }
        int at = (int) (size() * (1 - fraction));
        if (at == 0 || at == size()) {
            throw new IllegalArgumentException(
                    "a validation fraction of " + fraction + " of " + size() + " samples leaves one part empty");
        }
        return new Split(slice(0, at), slice(at, size()));
    }

    /** Training and validation parts of a {@link SequenceDataset}. */
    public record Split(SequenceDataset train, SequenceDataset validation) {}

    /** Features of samples {@code rows}, as one array of shape [rows, sampleShape...]. */
    public INDArray featuresOf(int[] rows) {
        int s = sampleSize();
        float[] buf = new float[rows.length * s];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features, rows[i] * s, buf, i * s, s);
        }
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = rows.length;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return Nd4j.create(buf, shape, 'c');
    }

    /** Labels of samples {@code rows}, shape [rows, labelWidth]. */
    public INDArray labelsOf(int[] rows) {
        float[] buf = new float[rows.length * labelWidth];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(labels, rows[i] * labelWidth, buf, i * labelWidth, labelWidth);
        }
        return Nd4j.create(buf, new long[] {rows.length, labelWidth}, 'c');
    }

    /** Mini-batches in order, or reshuffled at every reset when {@code shuffleSeed} is not null. */
    public DataSetIterator iterator(int batchSize, Long shuffleSeed) {
        return new BatchIterator(this, batchSize, shuffleSeed);
    }
}
