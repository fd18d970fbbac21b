package org.rnnlab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rnnlab.data.SequenceDataset;
import org.rnnlab.engine.Cores;
import org.rnnlab.engine.FastNetwork;

/**
 * Runs a trained network over a dataset in inference mode (no dropout), in batches, on the faster layers
 * ({@link FastNetwork}), one copy of the network per core ({@link Cores}), and returns its outputs.
 */
public final class Predictor {

    /** Samples per forward pass: large enough to keep the matrix products efficient, small enough for a 1 GB heap. */
    public static final int BATCH = 128;

    private Predictor() {}

    /** The network's outputs for every sample, row-major ({@code labelWidth} values per sample). */
    public static float[] predict(MultiLayerNetwork model, SequenceDataset data) {
        return predict(model, data, Cores.threads());
    }

    /** As {@link #predict(MultiLayerNetwork, SequenceDataset)}, on at most {@code threads} threads. */
    static float[] predict(MultiLayerNetwork model, SequenceDataset data, int threads) {
        int batches = (data.size() + BATCH - 1) / BATCH;
        if (batches == 0) {
            return new float[0];
        }
        MultiLayerNetwork net = FastNetwork.of(model);
        float[] first = batch(net, data, 0);
        int width = first.length / Math.min(BATCH, data.size());
        float[] out = new float[data.size() * width];
        System.arraycopy(first, 0, out, 0, first.length);
        AtomicInteger next = new AtomicInteger(1);
        int helpers = Math.min(threads, batches) - 1;
        if (helpers <= 0) {
            drain(net, data, next, batches, out, width);
            return out;
        }
        // Each thread takes the next batch not yet taken, on a network of its own sharing the parameters.
        ExecutorService pool = Workers.start("rnnlab-predict", helpers);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int i = 0; i < helpers; i++) {
                MultiLayerNetwork own = FastNetwork.twin(model);
                parts.add(pool.submit(() -> drain(own, data, next, batches, out, width)));
            }
            drain(net, data, next, batches, out, width);
            for (Future<?> part : parts) {
                Workers.await(part, "prediction");
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private static void drain(
            MultiLayerNetwork net, SequenceDataset data, AtomicInteger next, int batches, float[] out, int width) {
        for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
            float[] part = batch(net, data, b);
            System.arraycopy(part, 0, out, b * BATCH * width, part.length);
        }
    }

    private static float[] batch(MultiLayerNetwork net, SequenceDataset data, int b) {
        int from = b * BATCH;
        int to = Math.min(from + BATCH, data.size());
        return floats(net.output(data.featuresOf(IntStream.range(from, to).toArray()), false));
    }

    /** An array's values as floats in row-major order (a contiguous copy, whatever the array's type and view). */
    public static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** The network's outputs for padded token sequences, one value per sequence (first output unit). */
    public static double[] predict(MultiLayerNetwork model, int[][] sequences) {
        float[] p = predict(model, SequenceDataset.of(sequences, new double[sequences.length]));
        int width = sequences.length == 0 ? 1 : p.length / sequences.length;
        double[] out = new double[sequences.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = p[i * width];
        }
        return out;
    }
}
