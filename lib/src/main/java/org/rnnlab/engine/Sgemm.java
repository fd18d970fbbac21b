package org.rnnlab.engine;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import org.bytedeco.javacpp.FloatPointer;

/**
 * The engine's one matrix product: single-precision products of row-major blocks of Java arrays,
 * computed by OpenBLAS (the BLAS ND4J ships) after one native copy of each operand, except those with a small
 * factor (the per-step products, backprop's weight gradients and gradient to the layer below of the course's
 * layer sizes), which {@link VectorProducts} computes from the arrays themselves. A layer keeps one
 * instance, whose native buffers grow to the largest operand and are then reused from batch to batch
 * (allocating and freeing tens of megabytes per product cost more than the product). Used two ways:
 * {@link #product} for products over many steps at once, and {@link #right} with {@link #mulAdd} for
 * the products of every step with the same right-hand factor (their buffers are apart).
 */
final class Sgemm {

    /**
     * A row-major block of a Java array: {@code rows × cols} values from {@code off}, rows {@code ld} apart; read
     * through the native copy of the whole array held in {@code slot} ({@link #hold}), where one is given (an
     * operand of several products), -1 otherwise.
     */
    record Block(float[] data, int slot, int off, int ld, int rows, int cols) {

        /** A whole row-major matrix. */
        static Block of(float[] data, int rows, int cols) {
            return new Block(data, -1, 0, cols, rows, cols);
        }

        /** A block of a row-major array, {@code ld} values per row. */
        static Block of(float[] data, int off, int ld, int rows, int cols) {
            return new Block(data, -1, off, ld, rows, cols);
        }

        /** The same block, read through the native copy its array has in {@code slot} ({@link #hold}). */
        Block in(int slot) {
            return new Block(data, slot, off, ld, rows, cols);
        }

        private int span() {
            return rows == 0 ? 0 : (rows - 1) * ld + cols;
        }
    }

    private FloatPointer left = new FloatPointer(0);
    private FloatPointer right = new FloatPointer(0);
    private FloatPointer result = new FloatPointer(0);
    private FloatPointer productA = new FloatPointer(0);
    private FloatPointer productB = new FloatPointer(0);
    private FloatPointer productC = new FloatPointer(0);
    private final FloatPointer[] held = {new FloatPointer(0), new FloatPointer(0)};
    private final float[][] heldData = new float[2][];
    private final boolean[] heldCopied = new boolean[2];
    private float[] rightRows;
    private int k;
    private int m;

    /** op(a)·op(b) as a new row-major array, op transposing where asked (a and b given as stored). */
    float[] product(Block a, boolean transA, Block b, boolean transB) {
        float[] c = new float[(transA ? a.cols() : a.rows()) * (transB ? b.rows() : b.cols())];
        productInto(a, transA, b, transB, c, 0);
        return c;
    }

    /** op(a)·op(b) written into {@code c} from {@code cOff}, row-major and contiguous. */
    void productInto(Block a, boolean transA, Block b, boolean transB, float[] c, int cOff) {
        int rows = transA ? a.cols() : a.rows();
        int inner = transA ? a.rows() : a.cols();
        int cols = transB ? b.rows() : b.cols();
        if ((transB ? b.cols() : b.rows()) != inner) {
            throw new IllegalArgumentException(
                    "inner dimensions differ: " + inner + " and " + (transB ? b.cols() : b.rows()));
        }
        if (a.slot() >= 0 && a.slot() == b.slot()) {
            throw new IllegalArgumentException("a product's two factors need distinct native copies");
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        if (inner == 0) {
            java.util.Arrays.fill(c, cOff, cOff + rows * cols, 0f);
            return;
        }
        if (inRegisters(a, transA, b, transB, rows, inner, cols, c, cOff)) {
            return;
        }
        FloatPointer pa =
                a.slot() < 0 ? (productA = fill(productA, a)) : held(a.slot()).position(a.off());
        FloatPointer pb =
                b.slot() < 0 ? (productB = fill(productB, b)) : held(b.slot()).position(b.off());
        productC = ensure(productC, rows * cols);
        try {
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
                    productC,
                    cols);
            productC.get(c, cOff, rows * cols);
        } finally {
            pa.position(0);
            pb.position(0);
        }
    }

    /**
     * The two whole-pass products of backprop with a small factor, computed by {@link VectorProducts} where their
     * shapes fit (whether they did): a weight gradient aᵀ·b of a few thousand values, and the gradient to the
     * layer below, a·bᵀ with b a small weight matrix.
     */
    private static boolean inRegisters(
            Block a, boolean transA, Block b, boolean transB, int rows, int inner, int cols, float[] c, int cOff) {
        if (!Nonlinear.VECTOR || transA == transB) {
            return false;
        }
        if (transA && VectorProducts.fits(cols, (long) rows * cols)) {
            java.util.Arrays.fill(c, cOff, cOff + rows * cols, 0f);
            VectorProducts.addTransposedProduct(
                    a.data(), a.off(), a.ld(), b.data(), b.off(), b.ld(), c, cOff, cols, inner, rows, cols);
            return true;
        }
        if (!transA && a.ld() == inner && VectorProducts.fits(cols, (long) inner * cols)) {
            float[] right = new float[inner * cols]; // bᵀ, row-major
            LoopMath.transposeInto(b.data(), b.off(), b.ld(), cols, inner, right);
            java.util.Arrays.fill(c, cOff, cOff + rows * cols, 0f);
            VectorProducts.addProduct(a.data(), a.off(), inner, right, 0, cols, c, cOff, cols, rows, cols);
            return true;
        }
        return false;
    }

    /**
     * Makes {@code data} the array of slot {@code slot} (0 or 1), for blocks read by several products ({@link
     * Block#in}): its native copy is made when OpenBLAS first needs it, so products that run in registers cost none.
     * Valid until the slot is held again.
     */
    void hold(int slot, float[] data) {
        heldData[slot] = data;
        heldCopied[slot] = false;
    }

    /** The native copy of slot {@code slot}'s array, made on first use. */
    private FloatPointer held(int slot) {
        if (!heldCopied[slot]) {
            float[] data = heldData[slot];
            held[slot] = ensure(held[slot], data.length);
            held[slot].put(data, 0, data.length);
            heldCopied[slot] = true;
        }
        return held[slot];
    }

    /** Sets b [k × m], the right-hand factor of the step products that follow. */
    void right(float[] b, int k, int m) {
        this.k = k;
        this.m = m;
        if (Nonlinear.VECTOR && VectorProducts.fits(m, (long) k * m)) {
            this.rightRows = b.clone(); // products in SIMD registers, straight from the Java arrays
            return;
        }
        this.rightRows = null;
        this.right = ensure(this.right, k * m);
        this.right.put(b, 0, k * m);
    }

    /**
     * y[rows × m] += a[rows × k] · b, with a and y starting at the given offsets (rows contiguous): in SIMD registers
     * ({@link VectorProducts}) where m fills its spans, by OpenBLAS otherwise.
     */
    void mulAdd(float[] a, int aOff, float[] y, int yOff, int rows) {
        if (rightRows != null) {
            VectorProducts.addProduct(a, aOff, k, rightRows, 0, m, y, yOff, m, rows, m);
            return;
        }
        int inLen = rows * k;
        int outLen = rows * m;
        left = ensure(left, inLen);
        result = ensure(result, outLen);
        left.put(a, aOff, inLen);
        result.put(y, yOff, outLen);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, m, k, 1f, left, k, right, m, 1f, result, m);
        result.get(y, yOff, outLen);
    }

    /** The block's span copied into {@code p} (grown when too small). */
    private static FloatPointer fill(FloatPointer p, Block block) {
        FloatPointer q = ensure(p, block.span());
        q.put(block.data(), block.off(), block.span());
        return q;
    }

    private static FloatPointer ensure(FloatPointer p, int len) {
        if (p.capacity() >= len) {
            return p.position(0);
        }
        p.close();
        return new FloatPointer((long) Math.max(len, 1));
    }
}
