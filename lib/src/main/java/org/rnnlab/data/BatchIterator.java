package org.rnnlab.data;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** A DL4J iterator over a {@link SequenceDataset}, drawing a new sample order at every reset if shuffling. */
final class BatchIterator implements DataSetIterator {

    private final SequenceDataset data;
    private final int batchSize;
    private final Random rng;
    private int[] order;
    private int cursor;
    private DataSetPreProcessor preProcessor;

    BatchIterator(SequenceDataset data, int batchSize, Long shuffleSeed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.rng = shuffleSeed == null ? null : new Random(shuffleSeed);
        reset();
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int end = Math.min(cursor + num, order.length);
        int[] rows = Arrays.copyOfRange(order, cursor, end);
        cursor = end;
        DataSet ds = new DataSet(data.featuresOf(rows), data.labelsOf(rows));
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public int inputColumns() {
        return (int) data.sampleShape()[0];
    }

    @Override
    public int totalOutcomes() {
        return data.labelWidth();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        order = IntStream.range(0, data.size()).toArray();
        if (rng != null) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        cursor = 0;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }
}
