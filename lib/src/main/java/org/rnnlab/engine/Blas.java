package org.rnnlab.engine;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;

import org.bytedeco.javacpp.DoublePointer;

/**
 * Whole-matrix products of the recurrent layers' passes (all time steps at once) on row-major Java
 * arrays, computed by OpenBLAS, the BLAS ND4J ships: the operands are copied to native memory once,
 * which costs far less than the product itself and avoids ND4J's strided copies and casts.
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

    /** op(a)·op(b) as a new row-major array, op transposing where asked (a and b given as stored). */
    static double[] product(Block a, boolean transA, Block b, boolean transB) {
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
}
