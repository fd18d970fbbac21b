package org.rnnlab.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * An LSTM step computed in SIMD registers: for six or four rows of the batch at a time and one vector's width
 * of units, the four gates' pre-activations b + x_t·W + h_{t-1}·RW are summed in registers (each weight
 * vector loaded once for those rows, two gates at a time), then the cell is applied while the sums are
 * still in the core's first cache.
 * One pass over the step instead of a product per step, copies to and from native memory, a pass adding
 * the bias and one applying the cell. Loaded only when the JVM has the Vector API ({@link Nonlinear#VECTOR}).
 */
final class VectorLstm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

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
    private final float[] sums = new float[VectorProducts.ROWS * 4 * L];

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
        for (int i = 0, rows; i < batch; i += rows) {
            rows = VectorProducts.blockRows(batch - i);
            for (int j = 0; j < units; j += L) {
                for (int r = 0; r < rows; r++) {
                    for (int q = 0; q < 4; q++) {
                        FloatVector.fromArray(S, b, q * units + j).intoArray(sums, (4 * r + q) * L);
                    }
                }
                add(x, x0 + i * nIn, nIn, w, j, rows);
                if (hPrev0 >= 0) {
                    add(h, hPrev0 + i * units, units, rw, j, rows);
                }
                cells(rows, i, j, h0, cPrev0, c0, t * batch * 4 * units);
            }
        }
    }

    /**
     * Adds to the gate sums of {@code rows} rows (six, four or one: {@link VectorProducts#blockRows}) the products of
     * their inputs, rows of {@code n} values from {@code in0}, with the matrix m's columns j .. j+L of each gate
     * block, two gates at a time.
     */
    private void add(float[] in, int in0, int n, float[] m, int j, int rows) {
        int width = 4 * units;
        for (int q = 0; q < 4; q += 2) {
            VectorProducts.addBlock(rows, in, in0, n, 1, n, m, j + q * units, width, units, sums, q * L, 4 * L);
        }
    }

    /** Whether a layer of {@code units} units takes {@link #backward}: whole vectors of units. */
    static boolean fitsBackward(int units) {
        return units % L == 0;
    }

    /**
     * The element-wise half of backward step t (rows from {@code row0}) from the forward pass' activated gates (g, f,
     * o, i per row), cell states and their tanh, and the gradients arriving from step t+1 (dh, dc): the gates' sum
     * gradients into dz, the cell state's gradient carried to step t−1 in dc, and dz's rows added to the bias
     * gradient in row order, with the operations of the one-value-at-a-time loop in the same order. The caller
     * flushes negligible values ({@link LoopMath#zeroNegligible}) in passes of its own, dh and dc before and dz
     * after (so the bias sums take dz's values before the flush, each under 10⁻³⁰): flushed in this loop, the
     * masks made the step three to four times slower on an AMD EPYC, with 16-float vectors as with 8.
     */
    static void backward(
            float[] gates,
            float[] cells,
            float[] tanhCells,
            float[] eps,
            float[] dh,
            float[] dc,
            float[] dz,
            float[] bias,
            int row0,
            int batch,
            int units) {
        int width = 4 * units;
        for (int k = 0; k < units; k += L) {
            FloatVector sumG = FloatVector.fromArray(S, bias, k);
            FloatVector sumF = FloatVector.fromArray(S, bias, units + k);
            FloatVector sumO = FloatVector.fromArray(S, bias, 2 * units + k);
            FloatVector sumI = FloatVector.fromArray(S, bias, 3 * units + k);
            for (int i = 0; i < batch; i++) {
                int zo = (row0 + i) * width + k;
                int so = (row0 + i) * units + k;
                int s = i * units + k;
                FloatVector g = FloatVector.fromArray(S, gates, zo);
                FloatVector f = FloatVector.fromArray(S, gates, zo + units);
                FloatVector o = FloatVector.fromArray(S, gates, zo + 2 * units);
                FloatVector in = FloatVector.fromArray(S, gates, zo + 3 * units);
                FloatVector tanhC = FloatVector.fromArray(S, tanhCells, so);
                FloatVector dOut = FloatVector.fromArray(S, eps, so).add(FloatVector.fromArray(S, dh, s));
                FloatVector dCell =
                        dOut.mul(o).mul(tanhC.mul(tanhC).neg().add(1f)).add(FloatVector.fromArray(S, dc, s));
                FloatVector cPrev =
                        row0 == 0 ? FloatVector.zero(S) : FloatVector.fromArray(S, cells, so - batch * units);
                FloatVector dG = dCell.mul(in).mul(g.mul(g).neg().add(1f));
                FloatVector dF = dCell.mul(cPrev).mul(f).mul(f.neg().add(1f));
                FloatVector dO = dOut.mul(tanhC).mul(o).mul(o.neg().add(1f));
                FloatVector dI = dCell.mul(g).mul(in).mul(in.neg().add(1f));
                dG.intoArray(dz, zo);
                dF.intoArray(dz, zo + units);
                dO.intoArray(dz, zo + 2 * units);
                dI.intoArray(dz, zo + 3 * units);
                dCell.mul(f).intoArray(dc, s);
                sumG = sumG.add(dG);
                sumF = sumF.add(dF);
                sumO = sumO.add(dO);
                sumI = sumI.add(dI);
            }
            sumG.intoArray(bias, k);
            sumF.intoArray(bias, units + k);
            sumO.intoArray(bias, 2 * units + k);
            sumI.intoArray(bias, 3 * units + k);
        }
    }

    /**
     * The cell for {@code rows} rows from row {@code i}, units j .. j+L, from their gate sums (g, f, o, i per row,
     * one vector each): c = σ(f)⊙c_prev + σ(i)⊙tanh(g), h = σ(o)⊙tanh(c); the step's outputs from {@code h0}, cell
     * states from {@code c0} (the previous ones from {@code cPrev0}, none when negative), gates from {@code g0}.
     */
    private void cells(int rows, int i, int j, int h0, int cPrev0, int c0, int g0) {
        for (int r = 0; r < rows; r++) {
            int s = 4 * r * L;
            FloatVector g = VectorNonlinear.tanh(FloatVector.fromArray(S, sums, s));
            FloatVector f = VectorNonlinear.sigmoid(FloatVector.fromArray(S, sums, s + L));
            FloatVector o = VectorNonlinear.sigmoid(FloatVector.fromArray(S, sums, s + 2 * L));
            FloatVector in = VectorNonlinear.sigmoid(FloatVector.fromArray(S, sums, s + 3 * L));
            int u = (i + r) * units + j;
            FloatVector cell = in.mul(g);
            if (cPrev0 >= 0) {
                cell = f.fma(FloatVector.fromArray(S, c, cPrev0 + u), cell);
            }
            cell.intoArray(c, c0 + u);
            FloatVector tanhCell = VectorNonlinear.tanh(cell);
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
