package org.rnnlab.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The recurrent layers' per-step products in SIMD registers: rows of a batch times a small weight
 * matrix added into rows of sums, four rows at a time and two vectors' width of columns per pass (each
 * weight vector loaded once for the four rows), straight from and into the layers' Java arrays. For the
 * 128 × 32 by 32 × 128 products of the course's layers this replaces an OpenBLAS call with its operands
 * copied to native memory and back. Loaded only when the JVM has the Vector API ({@link Nonlinear#VECTOR}).
 */
final class VectorProducts {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns per pass: two vectors, so that four rows' sums and the weights fill the registers. */
    private static final int SPAN = 2 * L;

    private VectorProducts() {}

    /**
     * The most weights (floats) a step may read for the register kernels to pay: 64 KB, the course's layers' 32 KB
     * with room. Every block of four rows reads all of them again, which is cheap while they sit in the core's first
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
        int i = 0;
        for (; i + 4 <= rows; i += 4) {
            for (int j = 0; j < cols; j += SPAN) {
                addFour(in, in0 + i * n, n, m, m0 + j, ldm, y, y0 + i * ldy + j, ldy);
            }
        }
        for (; i < rows; i++) {
            for (int j = 0; j < cols; j += SPAN) {
                addOne(in, in0 + i * n, n, m, m0 + j, ldm, y, y0 + i * ldy + j);
            }
        }
    }

    /** Four rows' sums over one span of columns, from {@code a} in y and {@code at} in m. */
    private static void addFour(float[] in, int in0, int n, float[] m, int m0, int ldm, float[] y, int a, int ldy) {
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
            FloatVector w1 = FloatVector.fromArray(S, m, at + L);
            FloatVector v = FloatVector.broadcast(S, in[in0 + k]);
            a0 = v.fma(w0, a0);
            a1 = v.fma(w1, a1);
            v = FloatVector.broadcast(S, in[in0 + n + k]);
            b0 = v.fma(w0, b0);
            b1 = v.fma(w1, b1);
            v = FloatVector.broadcast(S, in[in0 + 2 * n + k]);
            c0 = v.fma(w0, c0);
            c1 = v.fma(w1, c1);
            v = FloatVector.broadcast(S, in[in0 + 3 * n + k]);
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

    /** {@link #addFour} for one row. */
    private static void addOne(float[] in, int in0, int n, float[] m, int m0, int ldm, float[] y, int a) {
        FloatVector a0 = FloatVector.fromArray(S, y, a);
        FloatVector a1 = FloatVector.fromArray(S, y, a + L);
        for (int k = 0; k < n; k++) {
            int at = m0 + k * ldm;
            FloatVector v = FloatVector.broadcast(S, in[in0 + k]);
            a0 = v.fma(FloatVector.fromArray(S, m, at), a0);
            a1 = v.fma(FloatVector.fromArray(S, m, at + L), a1);
        }
        a0.intoArray(y, a);
        a1.intoArray(y, a + L);
    }
}
