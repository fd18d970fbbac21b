package org.rnnlab.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * An LSTM step computed in SIMD registers: for four rows of the batch at a time and one vector's width
 * of units, the four gates' pre-activations b + x_t·W + h_{t-1}·RW are summed in registers (each weight
 * vector loaded once for the four rows), then the cell is applied before anything goes back to memory.
 * One pass over the step instead of a product per step, copies to and from native memory, a pass adding
 * the bias and one applying the cell. Loaded only when the JVM has the Vector API ({@link Nonlinear#VECTOR}).
 */
final class VectorLstm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows whose sums share each weight load: 16 accumulators, four weight vectors and a broadcast in registers. */
    private static final int ROWS = 4;

    /**
     * Whether a layer of {@code nIn} inputs and {@code units} units uses this kernel: a whole number of vectors per
     * gate, and weights that stay in cache ({@link VectorProducts#MAX_WEIGHTS}).
     */
    static boolean fits(int nIn, int units) {
        return units % L == 0 && (long) (nIn + units) * 4 * units <= VectorProducts.MAX_WEIGHTS;
    }

    private final float[] w;
    private final float[] rw;
    private final float[] b;
    private final int nIn;
    private final int units;
    private final int batch;
    private final float[] h;
    private final float[] c;
    private final float[] gates;
    private final float[] tc;
    private final float[] sums = new float[ROWS * 4 * L];

    /**
     * A forward pass over {@code batch} rows with W [nIn × 4·units], RW [units × 4·units] (row-major, DL4J's gate
     * order g, f, o, i) and b, writing every step's outputs into h. In training ({@code gates} given) every step's
     * cell states go into c, activated gates into {@code gates} (rows of 4·units) and the states' tanh into tc;
     * in prediction ({@code gates} and tc null) c is a ring of two steps' cell states.
     */
    VectorLstm(
            float[] w,
            float[] rw,
            float[] b,
            int nIn,
            int units,
            int batch,
            float[] h,
            float[] c,
            float[] gates,
            float[] tc) {
        this.w = w;
        this.rw = rw;
        this.b = b;
        this.nIn = nIn;
        this.units = units;
        this.batch = batch;
        this.h = h;
        this.c = c;
        this.gates = gates;
        this.tc = tc;
    }

    /** Step t, from x's rows of that step (time-major rows of nIn values). */
    void step(float[] x, int t) {
        int block = batch * units;
        int h0 = t * block;
        int hPrev0 = t == 0 ? -1 : h0 - block;
        int c0 = gates != null ? h0 : (t % 2) * block;
        int cPrev0 = t == 0 ? -1 : gates != null ? h0 - block : ((t - 1) % 2) * block;
        int x0 = t * batch * nIn;
        int width = 4 * units;
        for (int i = 0; i < batch; i += ROWS) {
            int rows = Math.min(ROWS, batch - i);
            for (int j = 0; j < units; j += L) {
                for (int r = 0; r < rows; r++) {
                    for (int q = 0; q < 4; q++) {
                        FloatVector.fromArray(S, b, q * units + j).intoArray(sums, (4 * r + q) * L);
                    }
                }
                if (rows == ROWS) {
                    addFour(x, x0 + i * nIn, nIn, w, j, width, units, sums);
                    if (hPrev0 >= 0) {
                        addFour(h, hPrev0 + i * units, units, rw, j, width, units, sums);
                    }
                } else {
                    for (int r = 0; r < rows; r++) {
                        addOne(x, x0 + (i + r) * nIn, nIn, w, j, width, units, sums, 4 * r * L);
                        if (hPrev0 >= 0) {
                            addOne(h, hPrev0 + (i + r) * units, units, rw, j, width, units, sums, 4 * r * L);
                        }
                    }
                }
                cells(rows, i, j, h0, cPrev0, c0, t * batch * width);
            }
        }
    }

    /**
     * Adds to the sums of four rows (four gates each) the products of their inputs, rows of {@code n} values from
     * {@code in0}, with the matrix m's columns j .. j+L of each gate block.
     */
    private static void addFour(float[] in, int in0, int n, float[] m, int j, int width, int units, float[] sums) {
        FloatVector g0 = FloatVector.fromArray(S, sums, 0);
        FloatVector f0 = FloatVector.fromArray(S, sums, L);
        FloatVector o0 = FloatVector.fromArray(S, sums, 2 * L);
        FloatVector i0 = FloatVector.fromArray(S, sums, 3 * L);
        FloatVector g1 = FloatVector.fromArray(S, sums, 4 * L);
        FloatVector f1 = FloatVector.fromArray(S, sums, 5 * L);
        FloatVector o1 = FloatVector.fromArray(S, sums, 6 * L);
        FloatVector i1 = FloatVector.fromArray(S, sums, 7 * L);
        FloatVector g2 = FloatVector.fromArray(S, sums, 8 * L);
        FloatVector f2 = FloatVector.fromArray(S, sums, 9 * L);
        FloatVector o2 = FloatVector.fromArray(S, sums, 10 * L);
        FloatVector i2 = FloatVector.fromArray(S, sums, 11 * L);
        FloatVector g3 = FloatVector.fromArray(S, sums, 12 * L);
        FloatVector f3 = FloatVector.fromArray(S, sums, 13 * L);
        FloatVector o3 = FloatVector.fromArray(S, sums, 14 * L);
        FloatVector i3 = FloatVector.fromArray(S, sums, 15 * L);
        for (int k = 0; k < n; k++) {
            int at = k * width + j;
            FloatVector wg = FloatVector.fromArray(S, m, at);
            FloatVector wf = FloatVector.fromArray(S, m, at + units);
            FloatVector wo = FloatVector.fromArray(S, m, at + 2 * units);
            FloatVector wi = FloatVector.fromArray(S, m, at + 3 * units);
            FloatVector v = FloatVector.broadcast(S, in[in0 + k]);
            g0 = v.fma(wg, g0);
            f0 = v.fma(wf, f0);
            o0 = v.fma(wo, o0);
            i0 = v.fma(wi, i0);
            v = FloatVector.broadcast(S, in[in0 + n + k]);
            g1 = v.fma(wg, g1);
            f1 = v.fma(wf, f1);
            o1 = v.fma(wo, o1);
            i1 = v.fma(wi, i1);
            v = FloatVector.broadcast(S, in[in0 + 2 * n + k]);
            g2 = v.fma(wg, g2);
            f2 = v.fma(wf, f2);
            o2 = v.fma(wo, o2);
            i2 = v.fma(wi, i2);
            v = FloatVector.broadcast(S, in[in0 + 3 * n + k]);
            g3 = v.fma(wg, g3);
            f3 = v.fma(wf, f3);
            o3 = v.fma(wo, o3);
            i3 = v.fma(wi, i3);
        }
        g0.intoArray(sums, 0);
        f0.intoArray(sums, L);
        o0.intoArray(sums, 2 * L);
        i0.intoArray(sums, 3 * L);
        g1.intoArray(sums, 4 * L);
        f1.intoArray(sums, 5 * L);
        o1.intoArray(sums, 6 * L);
        i1.intoArray(sums, 7 * L);
        g2.intoArray(sums, 8 * L);
        f2.intoArray(sums, 9 * L);
        o2.intoArray(sums, 10 * L);
        i2.intoArray(sums, 11 * L);
        g3.intoArray(sums, 12 * L);
        f3.intoArray(sums, 13 * L);
        o3.intoArray(sums, 14 * L);
        i3.intoArray(sums, 15 * L);
    }

    /** {@link #addFour} for one row, whose four sums lie from {@code s0}. */
    private static void addOne(
            float[] in, int in0, int n, float[] m, int j, int width, int units, float[] sums, int s0) {
        FloatVector g = FloatVector.fromArray(S, sums, s0);
        FloatVector f = FloatVector.fromArray(S, sums, s0 + L);
        FloatVector o = FloatVector.fromArray(S, sums, s0 + 2 * L);
        FloatVector i = FloatVector.fromArray(S, sums, s0 + 3 * L);
        for (int k = 0; k < n; k++) {
            int at = k * width + j;
            FloatVector v = FloatVector.broadcast(S, in[in0 + k]);
            g = v.fma(FloatVector.fromArray(S, m, at), g);
            f = v.fma(FloatVector.fromArray(S, m, at + units), f);
            o = v.fma(FloatVector.fromArray(S, m, at + 2 * units), o);
            i = v.fma(FloatVector.fromArray(S, m, at + 3 * units), i);
        }
        g.intoArray(sums, s0);
        f.intoArray(sums, s0 + L);
        o.intoArray(sums, s0 + 2 * L);
        i.intoArray(sums, s0 + 3 * L);
    }

    /**
     * The cell for {@code rows} rows from row {@code i}, units j .. j+L, from their gate sums (g, f, o, i per row,
     * one vector each): c = σ(f)⊙c_prev + σ(i)⊙tanh(g), h = σ(o)⊙tanh(c); the step's outputs from {@code h0}, cell
     * states from {@code c0} (the previous ones from {@code cPrev0}, none when negative), gates from {@code g0}.
     */
    private void cells(int rows, int i, int j, int h0, int cPrev0, int c0, int g0) {
        for (int r = 0; r < rows; r++) {
            int s = 4 * r * L;
            FloatVector g = FloatVector.fromArray(S, sums, s).lanewise(VectorOperators.TANH);
            FloatVector f = VectorNonlinear.sigmoid(FloatVector.fromArray(S, sums, s + L));
            FloatVector o = VectorNonlinear.sigmoid(FloatVector.fromArray(S, sums, s + 2 * L));
            FloatVector in = VectorNonlinear.sigmoid(FloatVector.fromArray(S, sums, s + 3 * L));
            int u = (i + r) * units + j;
            FloatVector cell = in.mul(g);
            if (cPrev0 >= 0) {
                cell = f.fma(FloatVector.fromArray(S, c, cPrev0 + u), cell);
            }
            cell.intoArray(c, c0 + u);
            FloatVector tanhCell = cell.lanewise(VectorOperators.TANH);
            o.mul(tanhCell).intoArray(h, h0 + u);
            if (gates != null) {
                int z = g0 + (i + r) * 4 * units + j;
                g.intoArray(gates, z);
                f.intoArray(gates, z + units);
                o.intoArray(gates, z + 2 * units);
                in.intoArray(gates, z + 3 * units);
                tanhCell.intoArray(tc, h0 + u);
            }
        }
    }
}
