package org.rnnlab.engine;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The matrix product of one time step, y += a·b on row-major blocks of Java arrays, computed by
 * OpenBLAS (the BLAS ND4J itself ships) through native scratch buffers that a layer reuses from
 * step to step; b, the recurrent weights, is copied once per pass. A step's product is small (128 × 32 by 32 × 128), so copying the blocks is
 * cheap, while the same product in plain Java is several times slower (HotSpot does not vectorise it).
 * In a single-precision network the product is computed in single precision, as DL4J's own layers compute
 * it there (OpenBLAS' float kernels are about twice as fast on the same data).
 */
final class StepGemm {

    private DoublePointer a = new DoublePointer(0);
    private DoublePointer b = new DoublePointer(0);
    private DoublePointer y = new DoublePointer(0);
    private FloatPointer fa = new FloatPointer(0);
    private FloatPointer fb = new FloatPointer(0);
    private FloatPointer fy = new FloatPointer(0);
    private float[] scratch = new float[0];
    private boolean single;
    private int k;
    private int m;

    /**
     * Sets b [k × m], the right-hand factor of the products that follow (a layer's recurrent weights for one
     * pass), and the precision they are computed in: single for a {@code FLOAT} network, double otherwise.
     */
    void right(double[] b, int k, int m, DataType type) {
        this.single = type == DataType.FLOAT;
        if (single) {
            this.fb = fill(this.fb, b, 0, k * m);
        } else {
            this.b = fill(this.b, b, 0, k * m);
        }
        this.k = k;
        this.m = m;
    }

    /** y[rows × m] += a[rows × k] · b, with a and y starting at the given offsets. */
    void mulAdd(double[] a, int aOff, double[] y, int yOff, int rows) {
        if (single) {
            this.fa = fill(this.fa, a, aOff, rows * k);
            this.fy = fill(this.fy, y, yOff, rows * m);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, m, k, 1f, fa, k, fb, m, 1f, fy, m);
            float[] out = scratch(rows * m);
            fy.position(0).get(out, 0, rows * m);
            for (int i = 0; i < rows * m; i++) {
                y[yOff + i] = out[i];
            }
            return;
        }
        this.a = fill(this.a, a, aOff, rows * k);
        this.y = fill(this.y, y, yOff, rows * m);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, m, k, 1.0, this.a, k, this.b, m, 1.0, this.y, m);
        this.y.position(0).get(y, yOff, rows * m);
    }

    private float[] scratch(int len) {
        if (scratch.length < len) {
            scratch = new float[len];
        }
        return scratch;
    }

    private FloatPointer fill(FloatPointer p, double[] src, int off, int len) {
        FloatPointer q = p.capacity() >= len ? p : grow(p, len);
        float[] f = scratch(len);
        for (int i = 0; i < len; i++) {
            f[i] = (float) src[off + i];
        }
        q.position(0).put(f, 0, len);
        return q.position(0);
    }

    private static FloatPointer grow(FloatPointer p, int len) {
        p.close();
        return new FloatPointer(len);
    }

    private static DoublePointer fill(DoublePointer p, double[] src, int off, int len) {
        DoublePointer q = p.capacity() >= len ? p : grow(p, len);
        q.position(0).put(src, off, len);
        return q.position(0);
    }

    private static DoublePointer grow(DoublePointer p, int len) {
        p.close();
        return new DoublePointer(len);
    }
}
