package org.rnnlab.train;

import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rnnlab.data.SequenceDataset;
import org.rnnlab.engine.FastNetwork;

/** Runs a trained network over a dataset in inference mode (no dropout), in batches, on the faster layers ({@link FastNetwork}), and returns its outputs. */
public final class Predictor {

    /** Samples per forward pass: large enough to keep the matrix products efficient, small enough for a 1 GB heap. */
    public static final int BATCH = 128;

    private Predictor() {}

    /** The network's outputs for every sample, row-major ({@code labelWidth} values per sample). */
    public static float[] predict(MultiLayerNetwork model, SequenceDataset data) {
        MultiLayerNetwork net = FastNetwork.of(model);
        float[] out = null;
        int width = 0;
        for (int from = 0; from < data.size(); from += BATCH) {
            int to = Math.min(from + BATCH, data.size());
            INDArray y = net.output(data.featuresOf(IntStream.range(from, to).toArray()), false);
            float[] part = floats(y);
            if (out == null) {
                width = part.length / (to - from);
                out = new float[data.size() * width];
            }
            System.arraycopy(part, 0, out, from * width, part.length);
        }
        return out == null ? new float[0] : out;
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
