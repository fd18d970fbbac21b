package org.rnnlab.engine;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Whole-matrix products of the recurrent layers' passes (all time steps at once) on row-major Java
 * arrays, computed by OpenBLAS, the BLAS ND4J ships: the operands are copied to native memory once,
 * which costs far less than the product itself and avoids ND4J's strided copies and casts. In a
 * single-precision network they are computed in single precision, as DL4J computes them there.
 */
final class Blas {

    private Blas() {}

    /** A row-major block of a Java array: {@code rows × cols} values from {@code off}, rows {@code ld} apart. */
    record Block(double[] data, int off, int ld, int rows, int cols) {

        /** A whole row-major matrix. */
        static Block of(double[] data, int rows, int cols) {
            return new Block(data, 0, cols, rows, cols);
        }

        private int span() {
            return rows == 0 ? 0 : (rows - 1) * ld + cols;
        }
    }

    /**
     * op(a)·op(b) as a new row-major array, op transposing where asked (a and b given as stored), computed in
     * single precision for a {@code FLOAT} network and in double otherwise.
     */
    static double[] product(Block a, boolean transA, Block b, boolean transB, DataType type) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int n = transB ? b.rows() : b.cols();
        if ((transB ? b.cols() : b.rows()) != k) {
            throw new IllegalArgumentException(
                    "inner dimensions differ: " + k + " and " + (transB ? b.cols() : b.rows()));
        }
        double[] c = new double[m * n];
        if (m == 0 || n == 0 || k == 0) {
            return c;
        }
        if (type == DataType.FLOAT) {
            return singleProduct(a, transA, b, transB, m, n, k);
        }
        try (DoublePointer pa = new DoublePointer(a.span());
                DoublePointer pb = new DoublePointer(b.span());
                DoublePointer pc = new DoublePointer((long) m * n)) {
            pa.put(a.data(), a.off(), a.span());
            pb.put(b.data(), b.off(), b.span());
            cblas_dgemm(
                    CblasRowMajor,
                    transA ? CblasTrans : CblasNoTrans,
                    transB ? CblasTrans : CblasNoTrans,
                    m,
                    n,
                    k,
                    1.0,
                    pa,
                    a.ld(),
                    pb,
                    b.ld(),
                    0.0,
                    pc,
                    n);
            pc.get(c);
        }
        return c;
    }

    private static double[] singleProduct(Block a, boolean transA, Block b, boolean transB, int m, int n, int k) {
        try (FloatPointer pa = floats(a);
                FloatPointer pb = floats(b);
                FloatPointer pc = new FloatPointer((long) m * n)) {
            cblas_sgemm(
                    CblasRowMajor,
                    transA ? CblasTrans : CblasNoTrans,
                    transB ? CblasTrans : CblasNoTrans,
                    m,
                    n,
                    k,
                    1f,
                    pa,
                    a.ld(),
                    pb,
                    b.ld(),
                    0f,
                    pc,
                    n);
            float[] out = new float[m * n];
            pc.get(out);
            double[] c = new double[m * n];
            for (int i = 0; i < c.length; i++) {
                c[i] = out[i];
            }
            return c;
        }
    }

    private static FloatPointer floats(Block block) {
        int span = block.span();
        float[] f = new float[span];
        for (int i = 0; i < span; i++) {
            f[i] = (float) block.data()[block.off() + i];
        }
        return new FloatPointer(f);
    }
}
