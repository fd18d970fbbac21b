package org.rnnlab.engine;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer's input sequence, DL4J's [batch, features, time] in whatever order and strides it arrives,
 * read from its buffer in one native copy (in its own type) and handed to the time loops as time-major
 * rows of doubles, converted and reordered in the same pass, without ND4J's strided copies.
 */
final class StepInput {

    private final float[] f;
    private final double[] d;
    private final int batch;
    private final int features;
    private final int steps;
    private final int sb;
    private final int sf;
    private final int st;

    private StepInput(float[] f, double[] d, long[] shape, long[] stride) {
        this.f = f;
        this.d = d;
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
        int n = Math.toIntExact(span);
        Pointer p = ncw.data().addressPointer();
        if (ncw.dataType() == DataType.FLOAT) {
            float[] f = new float[n];
            new FloatPointer(p).get(f, 0, n);
            return new StepInput(f, null, ncw.shape(), ncw.stride());
        }
        double[] d = new double[n];
        new DoublePointer(p).get(d, 0, n);
        return new StepInput(null, d, ncw.shape(), ncw.stride());
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

    /** All steps as time-major rows: [time·batch, features], row t·batch + i holding example i at step t. */
    double[] rows() {
        double[] rows = new double[batch * features * steps];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int from = b * sb + t * st;
                int to = (t * batch + b) * features;
                if (d != null && sf == 1) {
                    System.arraycopy(d, from, rows, to, features);
                } else if (d != null) {
                    for (int j = 0; j < features; j++) {
                        rows[to + j] = d[from + j * sf];
                    }
                } else if (sf == 1) {
                    for (int j = 0; j < features; j++) {
                        rows[to + j] = f[from + j];
                    }
                } else {
                    for (int j = 0; j < features; j++) {
                        rows[to + j] = f[from + j * sf];
                    }
                }
            }
        }
        return rows;
    }
}
