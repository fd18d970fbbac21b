package org.rnnlab.engine;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import org.bytedeco.javacpp.FloatPointer;

/**
 * The engine's one matrix product: single-precision products of row-major blocks of Java arrays,
 * computed by OpenBLAS (the BLAS ND4J ships) after one native copy of each operand. Used two ways:
 * {@link #product} for a pass's products over all time steps at once, and an instance holding one
 * step's right-hand factor (a layer's recurrent weights) in native memory for the products of every
 * step, with scratch buffers reused from step to step.
 */
final class Sgemm {

    /**
     * A row-major block of a Java array: {@code rows × cols} values from {@code off}, rows {@code ld} apart; read
     * from {@code copy}, the array's native copy, where one is given (an operand of several products).
     */
    record Block(float[] data, FloatPointer copy, int off, int ld, int rows, int cols) {

        /** A whole row-major matrix. */
        static Block of(float[] data, int rows, int cols) {
            return new Block(data, null, 0, cols, rows, cols);
        }

        /** A block of a row-major array, {@code ld} values per row. */
        static Block of(float[] data, int off, int ld, int rows, int cols) {
            return new Block(data, null, off, ld, rows, cols);
        }

        /** The same block, read from a native copy of its whole array ({@link #copy(float[])}). */
        Block in(FloatPointer nativeCopy) {
            return new Block(data, nativeCopy, off, ld, rows, cols);
        }

        private int span() {
            return rows == 0 ? 0 : (rows - 1) * ld + cols;
        }
    }

    private FloatPointer right = new FloatPointer(0);
    private FloatPointer left = new FloatPointer(0);
    private FloatPointer result = new FloatPointer(0);
    private int k;
    private int m;

    /** op(a)·op(b) as a new row-major array, op transposing where asked (a and b given as stored). */
    static float[] product(Block a, boolean transA, Block b, boolean transB) {
        int rows = transA ? a.cols() : a.rows();
        int inner = transA ? a.rows() : a.cols();
        int cols = transB ? b.rows() : b.cols();
        if ((transB ? b.cols() : b.rows()) != inner) {
            throw new IllegalArgumentException(
                    "inner dimensions differ: " + inner + " and " + (transB ? b.cols() : b.rows()));
        }
        float[] c = new float[rows * cols];
        if (rows == 0 || cols == 0 || inner == 0) {
            return c;
        }
        FloatPointer pa = operand(a);
        FloatPointer pb = operand(b);
        try (FloatPointer pc = new FloatPointer((long) c.length)) {
            cblas_sgemm(
                    CblasRowMajor,
                    transA ? CblasTrans : CblasNoTrans,
                    transB ? CblasTrans : CblasNoTrans,
                    rows,
                    cols,
                    inner,
                    1f,
                    pa,
                    a.ld(),
                    pb,
                    b.ld(),
                    0f,
                    pc,
                    cols);
            pc.get(c);
        } finally {
            release(a, pa);
            release(b, pb);
        }
        return c;
    }

    /** Sets b [k × m], the right-hand factor of the step products that follow. */
    void right(float[] b, int k, int m) {
        this.k = k;
        this.m = m;
        this.right = ensure(this.right, k * m);
        this.right.put(b, 0, k * m);
    }

    /** y[rows × m] += a[rows × k] · b, with a and y starting at the given offsets (rows contiguous). */
    void mulAdd(float[] a, int aOff, float[] y, int yOff, int rows) {
        int inLen = rows * k;
        int outLen = rows * m;
        left = ensure(left, inLen);
        result = ensure(result, outLen);
        left.put(a, aOff, inLen);
        result.put(y, yOff, outLen);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, m, k, 1f, left, k, right, m, 1f, result, m);
        result.get(y, yOff, outLen);
    }

    /** A native copy of a whole array, for blocks read by several products ({@link Block#in}); the caller closes it. */
    static FloatPointer copy(float[] data) {
        return new FloatPointer(data);
    }

    /** The block's values in native memory: its array's copy from the block's start, or a copy of its span. */
    private static FloatPointer operand(Block block) {
        if (block.copy() != null) {
            return block.copy().position(block.off());
        }
        FloatPointer p = new FloatPointer((long) block.span());
        p.put(block.data(), block.off(), block.span());
        return p;
    }

    /** Frees the copy {@link #operand} made (a caller's shared copy stays, back at its start). */
    private static void release(Block block, FloatPointer p) {
        if (block.copy() == null) {
            p.close();
        } else {
            p.position(0);
        }
    }

    private static FloatPointer ensure(FloatPointer p, int len) {
        if (p.capacity() >= len) {
            return p.position(0);
        }
        p.close();
        return new FloatPointer((long) len);
    }
}
