package org.rnnlab.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The time loop of a {@link GRU} with sigmoid gates and a tanh candidate over single-precision
 * arrays: the forward pass (training and prediction alike) and backpropagation through time of
 * {@link GRULayer}'s fast path. Rows are time-major (row t·batch + i is example i at step t); the
 * gates' columns are z, r, h as in the layer's parameters; each step's products go through
 * {@link VectorProducts} where the units fill its spans, through {@link Sgemm} otherwise.
 */
final class GruLoop {

    /**
     * One forward pass: the input it ran on (after dropout), its time-major rows, the gate activations z, r and
     * the candidate ĥ, the states h, and per variant {@code rec}: r ⊙ h_{t-1} (resetAfter = false) or
     * h_{t-1}·RW + c, all three blocks (resetAfter = true).
     */
    record Pass(INDArray input, float[] x, int steps, int batch, float[] gates, float[] h, float[] rec) {}

    /**
     * Gradients of the pre-activations: of x·W + b ({@code input}) and of h·RW + c ({@code recurrent}, resetAfter
     * only), and the bias gradient (b's, then c's where resetAfter) summed step by step.
     */
    record Deltas(float[] input, float[] recurrent, float[] bias) {}

    private final int units;
    private final boolean resetAfter;

    private final Sgemm first = new Sgemm();
    private final Scratch scratch = new Scratch();
    private final Sgemm second = new Sgemm();

    /** How many forward passes computed their step products on {@link VectorProducts} (tests check that they ran). */
    int vectorPasses;

    /** The product wrapper of the whole-pass products (it also computes the first recurrent product of each step). */
    Sgemm products() {
        return first;
    }

    GruLoop(int units, boolean resetAfter) {
        this.units = units;
        this.resetAfter = resetAfter;
    }

    /**
     * The forward pass: runs the layer over {@code input} ([batch, nIn, time]; read backwards in time when
     * {@code reversed}) with W [nIn, 3n], RW [n, 3n] and bias b. The input projections are computed a few
     * steps ahead, and every step's gate values are kept for backprop (in arrays reused by the next pass).
     */
    Pass forward(INDArray input, INDArray ncw, boolean reversed, INDArray w, INDArray rwArray, INDArray b) {
        int n = units;
        int width = 3 * n;
        int batch = (int) ncw.size(0);
        int nIn = (int) ncw.size(1);
        int steps = (int) ncw.size(2);
        float[] x = Rows.timeMajor(ncw, reversed, scratch, "x");
        int recWidth = resetAfter ? width : n;
        float[] bias = Rows.rowMajor(b);
        float[] wRows = Rows.rowMajor(w);
        float[] a = scratch.of("gates", steps * batch * width);
        float[] rec = scratch.of("rec", steps * batch * recWidth); // every step's rows written below
        float[] h = scratch.of("h", steps * batch * n);
        float[] rw = Rows.rowMajor(rwArray);
        boolean simd = Nonlinear.VECTOR && VectorProducts.fits(n, (long) (nIn + n) * width);
        vectorPasses += simd ? 1 : 0;
        if (resetAfter) {
            first.right(rw, n, width); // Sgemm hands the step products to VectorProducts where they fit
        } else if (!simd) {
            first.right(columns(rw, width, 0, 2 * n), n, 2 * n);
            second.right(columns(rw, width, 2 * n, width), n, n);
        }
        float[] zr = new float[batch * 2 * n];
        float[] rh = new float[batch * n];
        for (int t = 0; t < steps; t++) {
            int row0 = t * batch;
            int a0 = row0 * width;
            int rec0 = row0 * recWidth;
            int h0 = row0 * n;
            int prev0 = t > 0 ? h0 - batch * n : -1;
            if (simd) {
                LoopMath.repeatRow(bias, 0, width, a, a0, batch);
                VectorProducts.addProduct(x, row0 * nIn, nIn, wRows, 0, width, a, a0, width, batch, width);
            } else {
                LoopMath.projectAhead(first, t, steps, batch, x, nIn, wRows, width, a, a0);
                LoopMath.addBias(a, a0, batch, width, bias, 0);
            }
            if (resetAfter) {
                LoopMath.repeatRow(bias, width, width, rec, rec0, batch); // the recurrent biases c
                if (t > 0) {
                    first.mulAdd(h, prev0, rec, rec0, batch);
                }
                gatesAfter(a, a0, rec, rec0, batch);
            } else if (simd) {
                // h_{t-1}·RW_zr straight into z and r's sums; then (r ⊙ h_{t-1})·RW_h into the candidate's.
                if (t > 0) {
                    VectorProducts.addProduct(h, prev0, n, rw, 0, width, a, a0, width, batch, 2 * n);
                }
                gatesBefore(a, a0, null, h, prev0, rec, rec0, batch);
                if (t > 0) {
                    VectorProducts.addProduct(rec, rec0, n, rw, 2 * n, width, a, a0 + 2 * n, width, batch, n);
                }
            } else {
                Arrays.fill(zr, 0f);
                if (t > 0) {
                    first.mulAdd(h, prev0, zr, 0, batch);
                }
                gatesBefore(a, a0, zr, h, prev0, rec, rec0, batch);
                Arrays.fill(rh, 0f);
                if (t > 0) {
                    second.mulAdd(rec, rec0, rh, 0, batch);
                }
                addCandidate(a, a0, rh, batch);
            }
            update(a, a0, h, prev0, h, h0, batch);
        }
        return new Pass(input, x, steps, batch, a, h, rec);
    }

    /** resetAfter: z, r = σ(a + rec) in place in a, and the candidate's pre-activation a_h += r ⊙ rec_h. */
    private void gatesAfter(float[] a, int a0, float[] rec, int rec0, int batch) {
        int n = units;
        int width = 3 * n;
        for (int i = 0; i < batch; i++) {
            int zo = a0 + i * width;
            int ro = rec0 + i * width;
            for (int k = 0; k < 2 * n; k++) {
                a[zo + k] += rec[ro + k];
            }
            Nonlinear.sigmoid(a, zo, 2 * n); // z, r
            for (int k = 0; k < n; k++) {
                a[zo + 2 * n + k] += a[zo + n + k] * rec[ro + 2 * n + k];
            }
        }
    }

    /**
     * resetAfter = false: z, r = σ(a + zr) in place in a (zr = h_{t-1}·RW_zr, ignored at the first step,
     * {@code prev0} < 0, and null where a already holds it), and r ⊙ h_{t-1} into {@code rh} at {@code rh0}.
     */
    private void gatesBefore(float[] a, int a0, float[] zr, float[] h, int prev0, float[] rh, int rh0, int batch) {
        int n = units;
        int width = 3 * n;
        for (int i = 0; i < batch; i++) {
            int zo = a0 + i * width;
            if (prev0 >= 0 && zr != null) {
                for (int k = 0; k < 2 * n; k++) {
                    a[zo + k] += zr[i * 2 * n + k];
                }
            }
            Nonlinear.sigmoid(a, zo, 2 * n); // z, r
            for (int k = 0; k < n; k++) {
                rh[rh0 + i * n + k] = prev0 >= 0 ? a[zo + n + k] * h[prev0 + i * n + k] : 0f;
            }
        }
    }

    /** resetAfter = false: the candidate's pre-activation a_h += (r ⊙ h_{t-1})·RW_h. */
    private void addCandidate(float[] a, int a0, float[] rh, int batch) {
        int n = units;
        int width = 3 * n;
        for (int i = 0; i < batch; i++) {
            int zo = a0 + i * width;
            for (int k = 0; k < n; k++) {
                a[zo + 2 * n + k] += rh[i * n + k];
            }
        }
    }

    /** ĥ = tanh(a_h) in place, then h_t = ĥ + z ⊙ (h_{t-1} − ĥ) at {@code h0} (h_{t-1} = 0 when {@code prev0} < 0). */
    private void update(float[] a, int a0, float[] prev, int prev0, float[] h, int h0, int batch) {
        int n = units;
        int width = 3 * n;
        for (int i = 0; i < batch; i++) {
            int zo = a0 + i * width;
            Nonlinear.tanh(a, zo + 2 * n, a, zo + 2 * n, n); // ĥ
            for (int k = 0; k < n; k++) {
                float hp = prev0 >= 0 ? prev[prev0 + i * n + k] : 0f;
                float cand = a[zo + 2 * n + k];
                h[h0 + i * n + k] = cand + a[zo + k] * (hp - cand);
            }
        }
    }

    /** Backpropagation through time from {@code epsilon}, the gradient of the loss w.r.t. every output ([batch, n, time]). */
    Deltas backward(Pass p, INDArray epsilon, INDArray rwArray) {
        float[] eps = Rows.timeMajor(epsilon, false, scratch, "eps");
        int n = units;
        int width = 3 * n;
        int batch = p.batch();
        float[] a = p.gates();
        float[] h = p.h();
        float[] rec = p.rec();
        float[] rw = Rows.rowMajor(rwArray);
        float[] dA = new float[a.length];
        float[] dHU = resetAfter ? new float[a.length] : null;
        float[] biasGradient = new float[resetAfter ? 2 * width : width];
        float[] dh = new float[batch * n];
        if (resetAfter) {
            first.right(LoopMath.transpose(rw, n, width), width, n);
        } else {
            // Both products take a whole row of dA (z, r, h) against RWᵀ with the other blocks' rows zeroed.
            first.right(LoopMath.transpose(zeroColumns(rw, width, 2 * n, width), n, width), width, n);
            second.right(LoopMath.transpose(zeroColumns(rw, width, 0, 2 * n), n, width), width, n);
        }
        float[] dUpdate = new float[batch * n];
        float[] dRh = new float[batch * n];
        boolean vector = !resetAfter && Nonlinear.VECTOR && VectorGru.fits(n);
        for (int t = p.steps() - 1; t >= 0; t--) {
            int row0 = t * batch;
            if (vector) {
                VectorGru.outputs(a, h, eps, dh, dA, dUpdate, row0, batch, n, t == 0);
                Arrays.fill(dRh, 0f);
                second.mulAdd(dA, row0 * width, dRh, 0, batch);
                VectorGru.gates(a, h, dh, dA, dUpdate, dRh, biasGradient, row0, batch, n, t == 0);
                first.mulAdd(dA, row0 * width, dh, 0, batch);
                continue;
            }
            LoopMath.zeroNegligible(dh, 0, dh.length);
            for (int i = 0; i < batch; i++) {
                int zo = (row0 + i) * width;
                int so = (row0 + i) * n;
                for (int k = 0; k < n; k++) {
                    int s = i * n + k;
                    float hp = t > 0 ? h[so - batch * n + k] : 0f;
                    float z = a[zo + k];
                    float r = a[zo + n + k];
                    float cand = a[zo + 2 * n + k];
                    float dNew = eps[so + k] + dh[s];
                    float dz = dNew * (hp - cand) * z * (1 - z);
                    float dPreH = dNew * (1 - z) * (1 - cand * cand);
                    dA[zo + 2 * n + k] = dPreH;
                    dh[s] = dNew * z; // through the update gate; the products add the rest
                    if (resetAfter) {
                        float dr = dPreH * rec[zo + 2 * n + k] * r * (1 - r);
                        dA[zo + k] = dz;
                        dA[zo + n + k] = dr;
                        dHU[zo + k] = dz;
                        dHU[zo + n + k] = dr;
                        dHU[zo + 2 * n + k] = dPreH * r;
                    } else {
                        dUpdate[s] = dz;
                    }
                }
            }
            if (resetAfter) {
                LoopMath.zeroNegligible(dA, row0 * width, batch * width);
                LoopMath.zeroNegligible(dHU, row0 * width, batch * width);
                LoopMath.addColumnSums(dA, row0 * width, batch, width, biasGradient, 0);
                LoopMath.addColumnSums(dHU, row0 * width, batch, width, biasGradient, width);
                first.mulAdd(dHU, row0 * width, dh, 0, batch);
                continue;
            }
            LoopMath.zeroNegligible(dA, row0 * width, batch * width);
            Arrays.fill(dRh, 0f);
            second.mulAdd(dA, row0 * width, dRh, 0, batch); // gradient w.r.t. r ⊙ h_{t-1} (z, r blocks still 0)
            for (int i = 0; i < batch; i++) {
                int zo = (row0 + i) * width;
                int so = (row0 + i) * n;
                for (int k = 0; k < n; k++) {
                    int s = i * n + k;
                    float hp = t > 0 ? h[so - batch * n + k] : 0f;
                    float r = a[zo + n + k];
                    dA[zo + k] = dUpdate[s];
                    dA[zo + n + k] = dRh[s] * hp * r * (1 - r);
                    dh[s] += dRh[s] * r;
                }
            }
            LoopMath.zeroNegligible(dA, row0 * width, batch * width);
            LoopMath.addColumnSums(dA, row0 * width, batch, width, biasGradient, 0);
            first.mulAdd(dA, row0 * width, dh, 0, batch);
        }
        return new Deltas(dA, dHU, biasGradient);
    }

    /** Columns [from, to) of a row-major matrix with {@code cols} columns. */
    private static float[] columns(float[] m, int cols, int from, int to) {
        int rows = m.length / cols;
        float[] out = new float[rows * (to - from)];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(m, i * cols + from, out, i * (to - from), to - from);
        }
        return out;
    }

    /** A copy of a row-major matrix with columns [from, to) set to zero. */
    private static float[] zeroColumns(float[] m, int cols, int from, int to) {
        float[] out = m.clone();
        for (int off = 0; off < out.length; off += cols) {
            Arrays.fill(out, off + from, off + to, 0f);
        }
        return out;
    }
}
