package org.rnnlab.engine;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;

import org.bytedeco.javacpp.DoublePointer;

/**
 * The matrix product of one time step, y += a·b on row-major blocks of Java arrays, computed by
 * OpenBLAS (the BLAS ND4J itself ships) through native scratch buffers that a layer reuses from
 * step to step; b, the recurrent weights, is copied once per pass. A step's product is small (128 × 32 by 32 × 128), so copying the blocks is
 * cheap, while the same product in plain Java is several times slower (HotSpot does not vectorise it).
 */
final class StepGemm {

    private DoublePointer a = new DoublePointer(0);
    private DoublePointer b = new DoublePointer(0);
    private DoublePointer y = new DoublePointer(0);
    private int k;
    private int m;

    /** Sets b [k × m], the right-hand factor of the products that follow (a layer's recurrent weights for one pass). */
    void right(double[] b, int k, int m) {
        this.b = fill(this.b, b, 0, k * m);
        this.k = k;
        this.m = m;
    }

    /** y[rows × m] += a[rows × k] · b, with a and y starting at the given offsets. */
    void mulAdd(double[] a, int aOff, double[] y, int yOff, int rows) {
        this.a = fill(this.a, a, aOff, rows * k);
        this.y = fill(this.y, y, yOff, rows * m);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, m, k, 1.0, this.a, k, this.b, m, 1.0, this.y, m);
        this.y.position(0).get(y, yOff, rows * m);
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
