package org.rnnlab.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The recurrent layers' per-step products in SIMD registers: rows of a batch times a small weight
 * matrix added into rows of sums, six or four rows at a time ({@link #ROWS}) and two vectors' width of
 * columns per pass (each weight vector loaded once for those rows), straight from and into the layers' Java arrays. For the
 * 128 × 32 by 32 × 128 products of the course's layers this replaces an OpenBLAS call with its operands
 * copied to native memory and back. Loaded only when the JVM has the Vector API ({@link Nonlinear#VECTOR}).
 */
final class VectorProducts {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns per pass: two vectors, so that the sums of {@link #ROWS} rows and the weights fit the registers. */
    private static final int SPAN = 2 * L;

    /** Rows of a weight gradient's factors summed per pass: 64 rows of 128 floats are 32 KB. */
    private static final int CHUNK = 64;

    private VectorProducts() {}

    /**
     * The most weights (floats) a step may read for the register kernels to pay: 64 KB, the course's layers' 32 KB
     * with room. Every block of rows reads all of them again, which is cheap while they sit in the core's first
     * cache; the wide layers of notebook 6.10 (0.3–1.5 MB) ran 20–50 % slower this way than on OpenBLAS.
     */
    static final int MAX_WEIGHTS = 16 * 1024;

    /**
     * Whether products of {@code cols} columns, with {@code weights} floats of weights read per step, use this
     * kernel: a whole number of two-vector spans, and weights that stay in cache ({@link #MAX_WEIGHTS}).
     */
    static boolean fits(int cols, long weights) {
        return cols % SPAN == 0 && weights <= MAX_WEIGHTS;
    }

    /**
     * y[rows × cols] += in[rows × n] · m[n × cols]: in's rows from {@code in0}, {@code n} values each; m's rows from
     * {@code m0}, {@code ldm} apart; y's rows from {@code y0}, {@code ldy} apart. {@code cols} must be a whole number of spans ({@link #fits}).
     */
    static void addProduct(
            float[] in, int in0, int n, float[] m, int m0, int ldm, float[] y, int y0, int ldy, int rows, int cols) {
        for (int i = 0, block; i < rows; i += block) {
            block = blockRows(rows - i);
            for (int j = 0; j < cols; j += SPAN) {
                addBlock(block, in, in0 + i * n, n, 1, n, m, m0 + j, ldm, L, y, y0 + i * ldy + j, ldy);
            }
        }
    }

    /**
     * y[k × cols] += aᵀ · b, summed over {@code rows} rows of a [rows × k] (from {@code a0}, {@code lda} apart) and b
     * [rows × cols] (from {@code b0}, {@code ldb} apart): a weight gradient, the inputs of every step against the
     * gradients of their sums. The same kernel as {@link #addProduct} with a's columns for rows, over blocks of
     * {@link #CHUNK} rows, so that b's rows stay in the core's first cache while every block of four columns of a
     * reads them. {@code cols} must be a whole number of spans.
     */
    static void addTransposedProduct(
            float[] a,
            int a0,
            int lda,
            float[] b,
            int b0,
            int ldb,
            float[] y,
            int y0,
            int ldy,
            int rows,
            int k,
            int cols) {
        for (int r = 0; r < rows; r += CHUNK) {
            int n = Math.min(CHUNK, rows - r);
            for (int i = 0, block; i < k; i += block) {
                block = blockRows(k - i);
                for (int j = 0; j < cols; j += SPAN) {
                    addBlock(
                            block,
                            a,
                            a0 + r * lda + i,
                            1,
                            lda,
                            n,
                            b,
                            b0 + r * ldb + j,
                            ldb,
                            L,
                            y,
                            y0 + i * ldy + j,
                            ldy);
                }
            }
        }
    }

    /**
     * The most rows a block sums at once: six with 8-float (AVX2) vectors, whose twelve sums, two weight vectors and
     * broadcast fit sixteen registers (the LSTM's step 20 % faster than with four on an AMD EPYC); four with 16-float
     * vectors, where six made the LSTM's step 10 % and the GRU's training 10–15 % slower.
     */
    static final int ROWS = L >= 16 ? 4 : 6;

    /**
     * The rows {@link #addBlock} takes next from {@code left} rows: six ({@link #ROWS} permitting) while what remains
     * can still go in blocks of four or more (so 32 rows are 6+6+6+6+4+4), else four, else one.
     */
    static int blockRows(int left) {
        return ROWS >= 6 && (left == 6 || left >= 10) ? 6 : left >= 4 ? 4 : 1;
    }

    /**
     * Sums of {@code rows} rows (six, four or one: {@link #blockRows}) of two vectors each, from {@code a} in y
     * ({@code ldy} apart, the second vector right after the first): row q adds in[in0 + q·inRow + k·inStep] times
     * row k of m (from {@code m0}, {@code ldm} apart; the vector for the second sum {@code gap} after the first's),
     * for k below n. A span of columns when gap is one vector; two of an LSTM's gates ({@link VectorLstm}) when it
     * is the layer's width.
     */
    static void addBlock(
            int rows,
            float[] in,
            int in0,
            int inRow,
            int inStep,
            int n,
            float[] m,
            int m0,
            int ldm,
            int gap,
            float[] y,
            int a,
            int ldy) {
        if (rows == 6) {
            addSix(in, in0, inRow, inStep, n, m, m0, ldm, gap, y, a, ldy);
        } else if (rows == 4) {
            addFour(in, in0, inRow, inStep, n, m, m0, ldm, gap, y, a, ldy);
        } else {
            addOne(in, in0, inStep, n, m, m0, ldm, gap, y, a);
        }
    }

    /**
     * {@link #addBlock} for six rows: twelve sums, two weight vectors and a broadcast fill fifteen of AVX2's sixteen
     * registers, and each pair of weight loads serves twelve multiply-adds.
     */
    private static void addSix(
            float[] in,
            int in0,
            int inRow,
            int inStep,
            int n,
            float[] m,
            int m0,
            int ldm,
            int gap,
            float[] y,
            int a,
            int ldy) {
        FloatVector a0 = FloatVector.fromArray(S, y, a);
        FloatVector a1 = FloatVector.fromArray(S, y, a + L);
        FloatVector b0 = FloatVector.fromArray(S, y, a + ldy);
        FloatVector b1 = FloatVector.fromArray(S, y, a + ldy + L);
        FloatVector c0 = FloatVector.fromArray(S, y, a + 2 * ldy);
        FloatVector c1 = FloatVector.fromArray(S, y, a + 2 * ldy + L);
        FloatVector d0 = FloatVector.fromArray(S, y, a + 3 * ldy);
        FloatVector d1 = FloatVector.fromArray(S, y, a + 3 * ldy + L);
        FloatVector e0 = FloatVector.fromArray(S, y, a + 4 * ldy);
        FloatVector e1 = FloatVector.fromArray(S, y, a + 4 * ldy + L);
        FloatVector f0 = FloatVector.fromArray(S, y, a + 5 * ldy);
        FloatVector f1 = FloatVector.fromArray(S, y, a + 5 * ldy + L);
        for (int k = 0; k < n; k++) {
            int at = m0 + k * ldm;
            FloatVector w0 = FloatVector.fromArray(S, m, at);
            FloatVector w1 = FloatVector.fromArray(S, m, at + gap);
            int x = in0 + k * inStep;
            FloatVector v = FloatVector.broadcast(S, in[x]);
            a0 = v.fma(w0, a0);
            a1 = v.fma(w1, a1);
            v = FloatVector.broadcast(S, in[x + inRow]);
            b0 = v.fma(w0, b0);
            b1 = v.fma(w1, b1);
            v = FloatVector.broadcast(S, in[x + 2 * inRow]);
            c0 = v.fma(w0, c0);
            c1 = v.fma(w1, c1);
            v = FloatVector.broadcast(S, in[x + 3 * inRow]);
            d0 = v.fma(w0, d0);
            d1 = v.fma(w1, d1);
            v = FloatVector.broadcast(S, in[x + 4 * inRow]);
            e0 = v.fma(w0, e0);
            e1 = v.fma(w1, e1);
            v = FloatVector.broadcast(S, in[x + 5 * inRow]);
            f0 = v.fma(w0, f0);
            f1 = v.fma(w1, f1);
        }
        a0.intoArray(y, a);
        a1.intoArray(y, a + L);
        b0.intoArray(y, a + ldy);
        b1.intoArray(y, a + ldy + L);
        c0.intoArray(y, a + 2 * ldy);
        c1.intoArray(y, a + 2 * ldy + L);
        d0.intoArray(y, a + 3 * ldy);
        d1.intoArray(y, a + 3 * ldy + L);
        e0.intoArray(y, a + 4 * ldy);
        e1.intoArray(y, a + 4 * ldy + L);
        f0.intoArray(y, a + 5 * ldy);
        f1.intoArray(y, a + 5 * ldy + L);
    }

    /** {@link #addBlock} for four rows. */
    private static void addFour(
            float[] in,
            int in0,
            int inRow,
            int inStep,
            int n,
            float[] m,
            int m0,
            int ldm,
            int gap,
            float[] y,
            int a,
            int ldy) {
        FloatVector a0 = FloatVector.fromArray(S, y, a);
        FloatVector a1 = FloatVector.fromArray(S, y, a + L);
        FloatVector b0 = FloatVector.fromArray(S, y, a + ldy);
        FloatVector b1 = FloatVector.fromArray(S, y, a + ldy + L);
        FloatVector c0 = FloatVector.fromArray(S, y, a + 2 * ldy);
        FloatVector c1 = FloatVector.fromArray(S, y, a + 2 * ldy + L);
        FloatVector d0 = FloatVector.fromArray(S, y, a + 3 * ldy);
        FloatVector d1 = FloatVector.fromArray(S, y, a + 3 * ldy + L);
        for (int k = 0; k < n; k++) {
            int at = m0 + k * ldm;
            FloatVector w0 = FloatVector.fromArray(S, m, at);
            FloatVector w1 = FloatVector.fromArray(S, m, at + gap);
            int x = in0 + k * inStep;
            FloatVector v = FloatVector.broadcast(S, in[x]);
            a0 = v.fma(w0, a0);
            a1 = v.fma(w1, a1);
            v = FloatVector.broadcast(S, in[x + inRow]);
            b0 = v.fma(w0, b0);
            b1 = v.fma(w1, b1);
            v = FloatVector.broadcast(S, in[x + 2 * inRow]);
            c0 = v.fma(w0, c0);
            c1 = v.fma(w1, c1);
            v = FloatVector.broadcast(S, in[x + 3 * inRow]);
            d0 = v.fma(w0, d0);
            d1 = v.fma(w1, d1);
        }
        a0.intoArray(y, a);
        a1.intoArray(y, a + L);
        b0.intoArray(y, a + ldy);
        b1.intoArray(y, a + ldy + L);
        c0.intoArray(y, a + 2 * ldy);
        c1.intoArray(y, a + 2 * ldy + L);
        d0.intoArray(y, a + 3 * ldy);
        d1.intoArray(y, a + 3 * ldy + L);
    }

    /** {@link #addBlock} for one row. */
    private static void addOne(
            float[] in, int in0, int inStep, int n, float[] m, int m0, int ldm, int gap, float[] y, int a) {
        FloatVector a0 = FloatVector.fromArray(S, y, a);
        FloatVector a1 = FloatVector.fromArray(S, y, a + L);
        for (int k = 0; k < n; k++) {
            int at = m0 + k * ldm;
            FloatVector v = FloatVector.broadcast(S, in[in0 + k * inStep]);
            a0 = v.fma(FloatVector.fromArray(S, m, at), a0);
            a1 = v.fma(FloatVector.fromArray(S, m, at + gap), a1);
        }
        a0.intoArray(y, a);
        a1.intoArray(y, a + L);
    }
}
