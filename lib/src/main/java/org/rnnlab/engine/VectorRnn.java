package org.rnnlab.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A simple recurrent step, h_t = tanh(b + x_t·W + h_{t-1}·RW), with the sums of four rows of the batch
 * and two vectors' width of units held in SIMD registers (each weight vector loaded once for the four
 * rows) and written straight into the step's outputs: no per-step product in native memory and no
 * separate pass adding the bias. Loaded only when the JVM has the Vector API ({@link Nonlinear#VECTOR}).
 */
final class VectorRnn {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Units per pass: two vectors, so that four rows' sums and the weights fill the registers. */
    private static final int SPAN = 2 * L;

    private VectorRnn() {}

    /** Whether a layer of {@code units} units can use this kernel (a whole number of two-vector spans). */
    static boolean fits(int units) {
        return units % SPAN == 0;
    }

    /**
     * One step for {@code batch} rows: W [nIn × units] and RW [units × units] row-major; x's rows from {@code x0},
     * the previous outputs from {@code hPrev0} (none when negative: the first step), the outputs written at
     * {@code h0}.
     */
    static void step(
            float[] x,
            int x0,
            int nIn,
            float[] w,
            float[] rw,
            float[] b,
            float[] h,
            int hPrev0,
            int h0,
            int batch,
            int units) {
        for (int i = 0; i < batch; i++) {
            System.arraycopy(b, 0, h, h0 + i * units, units);
        }
        int i = 0;
        for (; i + 4 <= batch; i += 4) {
            for (int j = 0; j < units; j += SPAN) {
                addFour(x, x0 + i * nIn, nIn, w, units, j, h, h0 + i * units);
                if (hPrev0 >= 0) {
                    addFour(h, hPrev0 + i * units, units, rw, units, j, h, h0 + i * units);
                }
            }
        }
        for (; i < batch; i++) {
            for (int j = 0; j < units; j += SPAN) {
                addOne(x, x0 + i * nIn, nIn, w, units, j, h, h0 + i * units);
                if (hPrev0 >= 0) {
                    addOne(h, hPrev0 + i * units, units, rw, units, j, h, h0 + i * units);
                }
            }
        }
        Nonlinear.tanh(h, h0, h, h0, batch * units);
    }

    /**
     * Adds to four rows of y (from {@code y0}, {@code units} apart), columns j .. j+SPAN, the products of four
     * rows of {@code n} inputs (from {@code in0}) with the matrix m's same columns.
     */
    private static void addFour(float[] in, int in0, int n, float[] m, int units, int j, float[] y, int y0) {
        int a = y0 + j;
        FloatVector a0 = FloatVector.fromArray(S, y, a);
        FloatVector a1 = FloatVector.fromArray(S, y, a + L);
        FloatVector b0 = FloatVector.fromArray(S, y, a + units);
        FloatVector b1 = FloatVector.fromArray(S, y, a + units + L);
        FloatVector c0 = FloatVector.fromArray(S, y, a + 2 * units);
        FloatVector c1 = FloatVector.fromArray(S, y, a + 2 * units + L);
        FloatVector d0 = FloatVector.fromArray(S, y, a + 3 * units);
        FloatVector d1 = FloatVector.fromArray(S, y, a + 3 * units + L);
        for (int k = 0; k < n; k++) {
            int at = k * units + j;
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
        b0.intoArray(y, a + units);
        b1.intoArray(y, a + units + L);
        c0.intoArray(y, a + 2 * units);
        c1.intoArray(y, a + 2 * units + L);
        d0.intoArray(y, a + 3 * units);
        d1.intoArray(y, a + 3 * units + L);
    }

    /** {@link #addFour} for one row. */
    private static void addOne(float[] in, int in0, int n, float[] m, int units, int j, float[] y, int y0) {
        int a = y0 + j;
        FloatVector a0 = FloatVector.fromArray(S, y, a);
        FloatVector a1 = FloatVector.fromArray(S, y, a + L);
        for (int k = 0; k < n; k++) {
            int at = k * units + j;
            FloatVector v = FloatVector.broadcast(S, in[in0 + k]);
            a0 = v.fma(FloatVector.fromArray(S, m, at), a0);
            a1 = v.fma(FloatVector.fromArray(S, m, at + L), a1);
        }
        a0.intoArray(y, a);
        a1.intoArray(y, a + L);
    }
}
