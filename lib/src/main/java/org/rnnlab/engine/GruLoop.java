package org.rnnlab.engine;

import java.util.Arrays;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The time loop of a {@link GRU} with sigmoid gates and a tanh candidate: the forward pass and
 * backpropagation through time of {@link GRULayer}'s fast path over plain arrays, and its prediction
 * over native memory ({@link NativeSteps}). Rows are time-major (row t·batch + i is example i at step t);
 * the gates' columns are z, r, h as in the layer's parameters; a training step's recurrent products go
 * through {@link StepGemm}.
 */
final class GruLoop {

    /**
     * One forward pass: the input it ran on (after dropout), its time-major rows, the gate activations z, r and
     * the candidate ĥ, the states h, and per variant {@code rec}: r ⊙ h_{t-1} (resetAfter = false) or
     * h_{t-1}·RW + c, all three blocks (resetAfter = true).
     */
    record Pass(INDArray input, double[] x, int steps, int batch, double[] gates, double[] h, double[] rec) {}

    /** Gradients of the pre-activations: of x·W + b ({@code input}) and of h·RW + c ({@code recurrent}, resetAfter only). */
    record Deltas(double[] input, double[] recurrent) {}

    private final int units;
    private final boolean resetAfter;
    /** The network's type: the step products run in single precision for FLOAT. */
    private final DataType type;

    private final StepGemm first = new StepGemm();
    private final StepGemm second = new StepGemm();

    GruLoop(int units, boolean resetAfter, DataType type) {
        this.units = units;
        this.resetAfter = resetAfter;
        this.type = type;
    }

    /**
     * The forward pass for training: runs the layer over its input with W [nIn, 3n], RW [n, 3n] and bias b. The
     * input projections of all steps are one product, and every step's gate values are kept for backprop.
     */
    Pass forward(INDArray input, StepInput in, INDArray w, INDArray rwArray, INDArray b) {
        int n = units;
        int width = 3 * n;
        int steps = in.steps();
        int batch = in.batch();
        int nIn = in.features();
        double[] x = in.rows();
        int recWidth = resetAfter ? width : n;
        double[] bias = LoopMath.rowMajor(b);
        double[] a = LoopMath.project(x, nIn, w, b, width);
        double[] rec = new double[steps * batch * recWidth];
        double[] h = new double[steps * batch * n];
        double[] rw = LoopMath.rowMajor(rwArray);
        if (resetAfter) {
            first.right(rw, n, width, type);
        } else {
            first.right(columns(rw, width, 0, 2 * n), n, 2 * n, type);
            second.right(columns(rw, width, 2 * n, width), n, n, type);
        }
        double[] zr = new double[batch * 2 * n];
        double[] rh = new double[batch * n];
        for (int t = 0; t < steps; t++) {
            int row0 = t * batch;
            int a0 = row0 * width;
            int rec0 = row0 * recWidth;
            int h0 = row0 * n;
            int prev0 = t > 0 ? h0 - batch * n : -1;
            if (resetAfter) {
                for (int i = 0; i < batch; i++) {
                    System.arraycopy(bias, width, rec, rec0 + i * width, width); // the recurrent biases c
                }
                if (t > 0) {
                    first.mulAdd(h, prev0, rec, rec0, batch);
                }
                gatesAfter(a, a0, rec, rec0, batch);
            } else {
                Arrays.fill(zr, 0.0);
                if (t > 0) {
                    first.mulAdd(h, prev0, zr, 0, batch);
                }
                gatesBefore(a, a0, zr, h, prev0, rec, rec0, batch);
                Arrays.fill(rh, 0.0);
                if (t > 0) {
                    second.mulAdd(rec, rec0, rh, 0, batch);
                }
                addCandidate(a, a0, rh, batch);
            }
            update(a, a0, h, prev0, h, h0, batch);
        }
        return new Pass(input, x, steps, batch, a, h, rec);
    }

    /**
     * The forward pass for prediction, on native memory: each step's products (x_t·W, h_{t-1}·RW) are computed by
     * OpenBLAS from the input and the previous outputs, the gates' into one contiguous block and the candidate's
     * into another, so each nonlinearity runs once over the whole batch; only one step's values exist at a time,
     * and the states are written straight into the array {@code s} returns.
     */
    void predict(NativeSteps s, INDArray w, INDArray rwArray, INDArray b) {
        int n = units;
        int width = 3 * n;
        int batch = s.batch();
        double[] bias = LoopMath.rowMajor(b);
        double[] wRows = LoopMath.rowMajor(w);
        double[] rw = LoopMath.rowMajor(rwArray);
        Pointer wZR = s.matrix(columns(wRows, width, 0, 2 * n));
        Pointer wH = s.matrix(columns(wRows, width, 2 * n, width));
        Pointer rwZR = s.matrix(columns(rw, width, 0, 2 * n));
        Pointer rwH = s.matrix(columns(rw, width, 2 * n, width));
        Pointer zrN = s.scratch(batch * 2 * n);
        Pointer candN = s.scratch(batch * n);
        Pointer recN = s.scratch(batch * n); // h_{t-1}·RW_h (resetAfter) or r ⊙ h_{t-1}
        double[] zr = new double[batch * 2 * n];
        double[] cand = new double[batch * n];
        double[] rec = new double[batch * n];
        double[] h = new double[batch * n];
        for (int t = 0; t < s.steps(); t++) {
            boolean first = t == 0;
            Pointer prev = s.previousOutput();
            long prev0 = first ? 0 : s.outputOffset(t - 1);
            // z, r = σ(x_t·W_zr + h_{t-1}·RW_zr + b_zr (+ c_zr))
            s.inputProduct(t, wZR, 2 * n, zrN, 0, 2 * n, 0.0);
            if (!first) {
                s.product(prev, prev0, batch, n, rwZR, 2 * n, zrN, 0, 1.0);
            }
            s.get(zrN, 0, zr, 0, zr.length);
            LoopMath.addRowVector(zr, 2 * n, bias, 0);
            if (resetAfter) {
                LoopMath.addRowVector(zr, 2 * n, bias, width); // c_zr
            }
            Nonlinear.sigmoid(zr, 0, zr.length);
            s.inputProduct(t, wH, n, candN, 0, n, 0.0);
            if (resetAfter) {
                // ĥ = tanh(x_t·W_h + b_h + r ⊙ (h_{t-1}·RW_h + c_h))
                if (first) {
                    Arrays.fill(rec, 0.0);
                } else {
                    s.product(prev, prev0, batch, n, rwH, n, recN, 0, 0.0);
                    s.get(recN, 0, rec, 0, rec.length);
                }
                s.get(candN, 0, cand, 0, cand.length);
                LoopMath.addRowVector(rec, n, bias, width + 2 * n); // c_h
                for (int i = 0; i < batch; i++) {
                    for (int k = 0; k < n; k++) {
                        cand[i * n + k] += zr[i * 2 * n + n + k] * rec[i * n + k];
                    }
                }
            } else {
                // ĥ = tanh(x_t·W_h + (r ⊙ h_{t-1})·RW_h + b_h)
                if (!first) {
                    for (int i = 0; i < batch; i++) {
                        for (int k = 0; k < n; k++) {
                            rec[i * n + k] = zr[i * 2 * n + n + k] * h[i * n + k];
                        }
                    }
                    s.put(rec, 0, recN, 0, rec.length);
                    s.product(recN, 0, batch, n, rwH, n, candN, 0, 1.0);
                }
                s.get(candN, 0, cand, 0, cand.length);
            }
            LoopMath.addRowVector(cand, n, bias, 2 * n);
            Nonlinear.tanh(cand, 0, cand, 0, cand.length);
            // h_t = ĥ + z ⊙ (h_{t-1} − ĥ)
            for (int i = 0; i < batch; i++) {
                for (int k = 0; k < n; k++) {
                    double c = cand[i * n + k];
                    h[i * n + k] = c + zr[i * 2 * n + k] * ((first ? 0.0 : h[i * n + k]) - c);
                }
            }
            s.put(h, 0, s.output(), s.outputOffset(t), h.length);
        }
    }

    /** resetAfter: z, r = σ(a + rec) in place in a, and the candidate's pre-activation a_h += r ⊙ rec_h. */
    private void gatesAfter(double[] a, int a0, double[] rec, int rec0, int batch) {
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
     * {@code prev0} < 0), and r ⊙ h_{t-1} into {@code rh} at {@code rh0}.
     */
    private void gatesBefore(double[] a, int a0, double[] zr, double[] h, int prev0, double[] rh, int rh0, int batch) {
        int n = units;
        int width = 3 * n;
        for (int i = 0; i < batch; i++) {
            int zo = a0 + i * width;
            if (prev0 >= 0) {
                for (int k = 0; k < 2 * n; k++) {
                    a[zo + k] += zr[i * 2 * n + k];
                }
            }
            Nonlinear.sigmoid(a, zo, 2 * n); // z, r
            for (int k = 0; k < n; k++) {
                rh[rh0 + i * n + k] = prev0 >= 0 ? a[zo + n + k] * h[prev0 + i * n + k] : 0.0;
            }
        }
    }

    /** resetAfter = false: the candidate's pre-activation a_h += (r ⊙ h_{t-1})·RW_h. */
    private void addCandidate(double[] a, int a0, double[] rh, int batch) {
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
    private void update(double[] a, int a0, double[] prev, int prev0, double[] h, int h0, int batch) {
        int n = units;
        int width = 3 * n;
        for (int i = 0; i < batch; i++) {
            int zo = a0 + i * width;
            Nonlinear.tanh(a, zo + 2 * n, a, zo + 2 * n, n); // ĥ
            for (int k = 0; k < n; k++) {
                double hp = prev0 >= 0 ? prev[prev0 + i * n + k] : 0.0;
                double cand = a[zo + 2 * n + k];
                h[h0 + i * n + k] = cand + a[zo + k] * (hp - cand);
            }
        }
    }

    /** Backpropagation through time from eps, the gradient of the loss w.r.t. every output (time-major rows). */
    Deltas backward(Pass p, double[] eps, INDArray rwArray) {
        int n = units;
        int width = 3 * n;
        int batch = p.batch();
        double[] a = p.gates();
        double[] h = p.h();
        double[] rec = p.rec();
        double[] rw = LoopMath.rowMajor(rwArray);
        double[] dA = new double[a.length];
        double[] dHU = resetAfter ? new double[a.length] : null;
        double[] dh = new double[batch * n];
        if (resetAfter) {
            first.right(LoopMath.transpose(rw, n, width), width, n, type);
        } else {
            // Both products take a whole row of dA (z, r, h) against RWᵀ with the other blocks' rows zeroed.
            first.right(LoopMath.transpose(zeroColumns(rw, width, 2 * n, width), n, width), width, n, type);
            second.right(LoopMath.transpose(zeroColumns(rw, width, 0, 2 * n), n, width), width, n, type);
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
                    dh[s] = dNew * z; // through the update gate; the products add the rest
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
            second.mulAdd(dA, row0 * width, dRh, 0, batch); // gradient w.r.t. r ⊙ h_{t-1} (z, r blocks still 0)
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
