package org.rnnlab.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer's input sequence, DL4J's [batch, features, time] in whatever order and strides it arrives,
 * read from its buffer in one native copy and handed to the time loops one step (or all steps) at a time
 * as rows of doubles, without ND4J's strided copies.
 */
final class StepInput {

    private final double[] v;
    private final int batch;
    private final int features;
    private final int steps;
    private final int sb;
    private final int sf;
    private final int st;

    private StepInput(double[] v, long[] shape, long[] stride) {
        this.v = v;
        this.batch = (int) shape[0];
        this.features = (int) shape[1];
        this.steps = (int) shape[2];
        this.sb = (int) stride[0];
        this.sf = (int) stride[1];
        this.st = (int) stride[2];
    }

    /** Reads a rank-3 [batch, features, time] array; one with an offset, negative strides or gaps is first copied by ND4J. */
    static StepInput of(INDArray ncw) {
        long span = 1;
        boolean plain = ncw.offset() == 0 && (ncw.dataType() == DataType.FLOAT || ncw.dataType() == DataType.DOUBLE);
        for (int d = 0; d < ncw.rank(); d++) {
            plain &= ncw.stride(d) >= 0;
            span += (ncw.size(d) - 1) * Math.max(ncw.stride(d), 0);
        }
        if (!plain || span > 2 * ncw.length() || span > ncw.data().length()) {
            INDArray c = (ncw.dataType() == DataType.FLOAT ? ncw : ncw.castTo(DataType.DOUBLE)).dup('c');
            return of(c);
        }
        double[] out = Kernels.buffer(ncw, Math.toIntExact(span));
        return new StepInput(out, ncw.shape(), ncw.stride());
    }

    int batch() {
        return batch;
    }

    int features() {
        return features;
    }

    int steps() {
        return steps;
    }

    /** Copies step t's inputs into {@code dst}: example i's features at {@code off + i·ld}. */
    void copyStep(int t, double[] dst, int off, int ld) {
        for (int b = 0; b < batch; b++) {
            int from = b * sb + t * st;
            int to = off + b * ld;
            if (sf == 1) {
                System.arraycopy(v, from, dst, to, features);
            } else {
                for (int j = 0; j < features; j++) {
                    dst[to + j] = v[from + j * sf];
                }
            }
        }
    }

    /** All steps as time-major rows: [time·batch, features], row t·batch + i holding example i at step t. */
    double[] rows() {
        double[] rows = new double[batch * features * steps];
        for (int t = 0; t < steps; t++) {
            copyStep(t, rows, t * batch * features, features);
        }
        return rows;
    }
}
