package org.rnnlab.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;


/**
 * The time loop of a {@link GRU} with sigmoid gates and a tanh candidate, over plain arrays: the
 * forward pass and backpropagation through time of {@link GRULayer}'s fast path. Rows are
 * time-major (row t·batch + i is example i at step t); the gates' columns are z, r, h as in the
 * layer's parameters; a step's recurrent products go through {@link StepGemm}.
 */
final class GruLoop {

    /**
     * One forward pass: the input it ran on (after dropout), its time-major rows, the gate activations z, r and
     * the candidate ĥ, the states h, and per variant {@code rec}: r ⊙ h_{t-1} (resetAfter = false) or
     * h_{t-1}·RW + c, all three blocks (resetAfter = true).
     */
    record Pass(INDArray input, double[] x, int steps, int batch, double[] gates, double[] h, double[] rec) {
    }

    /** Gradients of the pre-activations: of x·W + b ({@code input}) and of h·RW + c ({@code recurrent}, resetAfter only). */
    record Deltas(double[] input, double[] recurrent) {
    }

    private final int units;
    private final boolean resetAfter;
    private final StepGemm first = new StepGemm();
    private final StepGemm second = new StepGemm();
    private final StepGemm inputs = new StepGemm();

    GruLoop(int units, boolean resetAfter) {
        this.units = units;
        this.resetAfter = resetAfter;
    }

    /**
     * Runs the layer over its input with W [nIn, 3n], RW [n, 3n] and bias b. For training
     * ({@code keep}) the input projections of all steps are one product and every step's gate values are kept
     * for backprop; for prediction each step projects its own inputs into small buffers that stay in cache, and
     * only the states h are returned (the pass's other arrays are then null).
     */
    Pass forward(INDArray input, StepInput in, INDArray w, INDArray rwArray, INDArray b, boolean keep) {
        int n = units;
        int width = 3 * n;
        int steps = in.steps();
        int batch = in.batch();
        int nIn = in.features();
        double[] x = keep ? in.rows() : new double[batch * nIn];
        int recWidth = resetAfter ? width : n;
        double[] bias = Kernels.rowMajor(b);
        double[] a = keep ? Kernels.project(x, nIn, w, b, width) : new double[batch * width];
        double[] rec = new double[(keep ? steps : 1) * batch * recWidth];
        double[] h = new double[steps * batch * n];
        double[] rw = Kernels.rowMajor(rwArray);
        if (!keep) {
            inputs.right(Kernels.rowMajor(w), nIn, width);
        }
        if (resetAfter) {
            first.right(rw, n, width);
        } else {
            first.right(columns(rw, width, 0, 2 * n), n, 2 * n);
            second.right(columns(rw, width, 2 * n, width), n, n);
        }
        double[] zr = new double[batch * 2 * n];
        double[] rh = new double[batch * n];
        for (int t = 0; t < steps; t++) {
            int row0 = t * batch;
            int a0 = keep ? row0 * width : 0;
            int rec0 = keep ? row0 * recWidth : 0;
            int h0 = row0 * n;
            int prev0 = t > 0 ? h0 - batch * n : -1;
            if (!keep) {
                for (int i = 0; i < batch; i++) {
                    System.arraycopy(bias, 0, a, i * width, width);
                }
                in.copyStep(t, x, 0, nIn);
                inputs.mulAdd(x, 0, a, 0, batch);
            }
            if (resetAfter) {
                for (int i = 0; i < batch; i++) {
                    System.arraycopy(bias, width, rec, rec0 + i * width, width);   // the recurrent biases c
                }
                if (t > 0) {
                    first.mulAdd(h, prev0, rec, rec0, batch);
                }
                for (int i = 0; i < batch; i++) {
                    int zo = a0 + i * width;
                    int ro = rec0 + i * width;
                    for (int k = 0; k < 2 * n; k++) {
                        a[zo + k] += rec[ro + k];
                    }
                    Nonlinear.sigmoid(a, zo, 2 * n);                      // z, r
                    for (int k = 0; k < n; k++) {
                        a[zo + 2 * n + k] += a[zo + n + k] * rec[ro + 2 * n + k];
                    }
                }
            } else {
                Arrays.fill(zr, 0.0);
                if (t > 0) {
                    first.mulAdd(h, prev0, zr, 0, batch);
                }
                for (int i = 0; i < batch; i++) {
                    int zo = a0 + i * width;
                    for (int k = 0; k < 2 * n; k++) {
                        a[zo + k] += zr[i * 2 * n + k];
                    }
                    Nonlinear.sigmoid(a, zo, 2 * n);                      // z, r
                    for (int k = 0; k < n; k++) {
                        rec[rec0 + i * n + k] = a[zo + n + k] * (t > 0 ? h[prev0 + i * n + k] : 0.0);
                    }
                }
                Arrays.fill(rh, 0.0);
                if (t > 0) {
                    second.mulAdd(rec, rec0, rh, 0, batch);
                }
                for (int i = 0; i < batch; i++) {
                    int zo = a0 + i * width;
                    for (int k = 0; k < n; k++) {
                        a[zo + 2 * n + k] += rh[i * n + k];
                    }
                }
            }
            for (int i = 0; i < batch; i++) {
                int zo = a0 + i * width;
                Nonlinear.tanh(a, zo + 2 * n, a, zo + 2 * n, n);           // ĥ
                for (int k = 0; k < n; k++) {
                    double hp = t > 0 ? h[prev0 + i * n + k] : 0.0;
                    double cand = a[zo + 2 * n + k];
                    h[h0 + i * n + k] = cand + a[zo + k] * (hp - cand);
                }
            }
        }
        return keep ? new Pass(input, x, steps, batch, a, h, rec) : new Pass(input, null, steps, batch, null, h, null);
    }

    /** Backpropagation through time from eps, the gradient of the loss w.r.t. every output (time-major rows). */
    Deltas backward(Pass p, double[] eps, INDArray rwArray) {
        int n = units;
        int width = 3 * n;
        int batch = p.batch();
        double[] a = p.gates();
        double[] h = p.h();
        double[] rec = p.rec();
        double[] rw = Kernels.rowMajor(rwArray);
        double[] dA = new double[a.length];
        double[] dHU = resetAfter ? new double[a.length] : null;
        double[] dh = new double[batch * n];
        if (resetAfter) {
            first.right(Kernels.transpose(rw, n, width), width, n);
        } else {
            // Both products take a whole row of dA (z, r, h) against RWᵀ with the other blocks' rows zeroed.
            first.right(Kernels.transpose(zeroColumns(rw, width, 2 * n, width), n, width), width, n);
            second.right(Kernels.transpose(zeroColumns(rw, width, 0, 2 * n), n, width), width, n);
        }
        double[] dUpdate = new double[batch * n];
        double[] dRh = new double[batch * n];
        for (int t = p.steps() - 1; t >= 0; t--) {
            int row0 = t * batch;
            for (int i = 0; i < batch; i++) {
                int zo = (row0 + i) * width;
                int so = (row0 + i) * n;
                for (int k = 0; k < n; k++) {
                    int s = i * n + k;
                    double hp = t > 0 ? h[so - batch * n + k] : 0.0;
                    double z = a[zo + k];
                    double r = a[zo + n + k];
                    double cand = a[zo + 2 * n + k];
                    double dNew = eps[so + k] + dh[s];
                    double dz = dNew * (hp - cand) * z * (1 - z);
                    double dPreH = dNew * (1 - z) * (1 - cand * cand);
                    dA[zo + 2 * n + k] = dPreH;
                    dh[s] = dNew * z;                        // through the update gate; the products add the rest
                    if (resetAfter) {
                        double dr = dPreH * rec[zo + 2 * n + k] * r * (1 - r);
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
                first.mulAdd(dHU, row0 * width, dh, 0, batch);
                continue;
            }
            Arrays.fill(dRh, 0.0);
            second.mulAdd(dA, row0 * width, dRh, 0, batch);        // gradient w.r.t. r ⊙ h_{t-1} (z, r blocks still 0)
            for (int i = 0; i < batch; i++) {
                int zo = (row0 + i) * width;
                int so = (row0 + i) * n;
                for (int k = 0; k < n; k++) {
                    int s = i * n + k;
                    double hp = t > 0 ? h[so - batch * n + k] : 0.0;
                    double r = a[zo + n + k];
                    dA[zo + k] = dUpdate[s];
                    dA[zo + n + k] = dRh[s] * hp * r * (1 - r);
                    dh[s] += dRh[s] * r;
                }
            }
            first.mulAdd(dA, row0 * width, dh, 0, batch);
        }
        return new Deltas(dA, dHU);
    }

    /** Columns [from, to) of a row-major matrix with {@code cols} columns. */
    private static double[] columns(double[] m, int cols, int from, int to) {
        int rows = m.length / cols;
        double[] out = new double[rows * (to - from)];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(m, i * cols + from, out, i * (to - from), to - from);
        }
        return out;
    }

    /** A copy of a row-major matrix with columns [from, to) set to zero. */
    private static double[] zeroColumns(double[] m, int cols, int from, int to) {
        double[] out = m.clone();
        for (int off = 0; off < out.length; off += cols) {
            Arrays.fill(out, off + from, off + to, 0.0);
        }
        return out;
    }
}
