package org.rnnlab.engine;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computation of a {@link FastLSTM}: DL4J's LSTM equations and parameters, with the time loop
 * run over single-precision arrays instead of a dozen ND4J calls per step: each step in SIMD registers
 * ({@link VectorLstm}) where the layer is small enough, with OpenBLAS products otherwise; training and
 * prediction share the same steps. Configurations it was not written for (double precision, as in gradient
 * checks; masks; an activation other than tanh or gates other than sigmoid; weight noise; truncated
 * BPTT; stored state) go to DL4J's own implementation, which it extends.
 *
 * <p>Per step, with blocks g, f, o, i of z = x_t·W + h_{t-1}·RW + b (DL4J's column order):
 * c_t = σ(f)⊙c_{t-1} + σ(i)⊙tanh(g), h_t = σ(o)⊙tanh(c_t).
 */
public class FastLSTMLayer extends LSTM implements ReversiblePrediction {

    /** One forward pass: the input rows, the gate activations g, f, o, i, cell states, their tanh and the outputs. */
    private record Pass(
            INDArray input, float[] x, int steps, int batch, float[] gates, float[] c, float[] tc, float[] h) {}

    private Pass kept;
    private final Sgemm recurrent = new Sgemm();
    private final Scratch scratch = new Scratch();
    /** How many forward passes took the fast path (tests check that it ran). */
    int fastPasses;

    /** How many of them ran on {@link VectorLstm} (tests check that it ran). */
    int vectorPasses;

    /** Creates the layer; called by {@link FastLSTM#instantiate}. */
    public FastLSTMLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean predictsReversed() {
        return fast();
    }

    @Override
    public INDArray predictReversed(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        kept = null;
        return output(forward(false, true, workspaceMgr), workspaceMgr);
    }

    private boolean fast() {
        var c = layerConf();
        return dataType == DataType.FLOAT
                && maskArray == null
                && c.getActivationFn() instanceof ActivationTanH
                && c.getGateActivationFn() instanceof ActivationSigmoid
                && c.getWeightNoise() == null;
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return activate(training, workspaceMgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!fast()) {
            return super.activate(training, workspaceMgr);
        }
        Pass p = forward(training, false, workspaceMgr);
        kept = training ? p : null;
        return output(p, workspaceMgr);
    }

    private INDArray output(Pass p, LayerWorkspaceMgr mgr) {
        return permuteIfNWC(Rows.toNcw(
                p.h(), p.steps(), p.batch(), (int) layerConf().getNOut(), dataType, mgr, ArrayType.ACTIVATIONS));
    }

    /**
     * One step for a batch: from the pre-activations z (rows of g, f, o, i at {@code z0}) and the previous cell
     * states (at {@code prev0}; none when negative), the gate activations (in place), the cell states (at
     * {@code c0}), their tanh (at {@code tc0}) and the outputs (at {@code h0}).
     */
    private static void step(
            float[] z,
            int z0,
            float[] c,
            int prev0,
            int c0,
            float[] tc,
            int tc0,
            float[] h,
            int h0,
            int batch,
            int units) {
        int width = 4 * units;
        for (int i = 0; i < batch; i++) {
            int zo = z0 + i * width;
            Nonlinear.tanh(z, zo, z, zo, units); // g
            Nonlinear.sigmoid(z, zo + units, 3 * units); // f, o, i
            int co = c0 + i * units;
            if (prev0 < 0) {
                for (int k = 0; k < units; k++) {
                    c[co + k] = z[zo + 3 * units + k] * z[zo + k];
                }
            } else {
                int po = prev0 + i * units;
                for (int k = 0; k < units; k++) {
                    c[co + k] = z[zo + units + k] * c[po + k] + z[zo + 3 * units + k] * z[zo + k];
                }
            }
        }
        Nonlinear.tanh(c, c0, tc, tc0, batch * units);
        for (int i = 0; i < batch; i++) {
            int zo = z0 + i * width + 2 * units;
            int so = i * units;
            for (int k = 0; k < units; k++) {
                h[h0 + so + k] = z[zo + k] * tc[tc0 + so + k];
            }
        }
    }

    /**
     * The forward pass over the input (read backwards in time when {@code reversed}): per step the input
     * projection (computed a few steps ahead), the bias, the recurrent product and {@link #step}. In training
     * every step's gates, cell states and their tanh are kept for backprop (in arrays reused by the next pass);
     * otherwise only the few steps in use are (rings that stay in cache), and every step's output.
     */
    private Pass forward(boolean training, boolean reversed, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        fastPasses++;
        INDArray in = permuteIfNWC(input);
        int batch = (int) in.size(0);
        int steps = (int) in.size(2);
        int units = (int) layerConf().getNOut();
        int width = 4 * units;
        int nIn = (int) in.size(1);
        float[] x = Rows.timeMajor(in, reversed, scratch, "x");
        float[] w = Rows.rowMajor(getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY));
        float[] bias = Rows.rowMajor(getParam(LSTMParamInitializer.BIAS_KEY));
        float[] rw = Rows.rowMajor(getParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY));
        boolean keep = training;
        int block = batch * units;
        if (Nonlinear.VECTOR && VectorLstm.fits(nIn, units)) {
            return vectorForward(keep, x, nIn, w, rw, bias, steps, batch, units);
        }
        recurrent.right(rw, units, width);
        int zSteps = keep ? steps : LoopMath.STEPS_PER_PROJECTION;
        float[] z = scratch.of(keep ? "gates" : "gates (ring)", zSteps * batch * width);
        float[] c = scratch.of(keep ? "c" : "c (ring)", (keep ? steps : 2) * block);
        float[] tc = scratch.of(keep ? "tanh c" : "tanh c (ring)", (keep ? steps : 1) * block);
        float[] h = scratch.of("h", steps * block);
        for (int t = 0; t < steps; t++) {
            int row0 = t * batch;
            int z0 = (keep ? t : t % zSteps) * batch * width;
            LoopMath.projectAhead(recurrent, t, steps, batch, x, nIn, w, width, z, z0);
            LoopMath.addBias(z, z0, batch, width, bias, 0);
            if (t > 0) {
                recurrent.mulAdd(h, (row0 - batch) * units, z, z0, batch);
            }
            int s0 = row0 * units;
            int c0 = keep ? s0 : (t % 2) * block;
            int prev0 = t == 0 ? -1 : keep ? s0 - block : ((t - 1) % 2) * block;
            step(z, z0, c, prev0, c0, tc, keep ? s0 : 0, h, s0, batch, units);
        }
        return new Pass(input, x, steps, batch, z, c, tc, h);
    }

    /** {@link #forward}'s loop on {@link VectorLstm}: each step in one pass, with no products in native memory. */
    private Pass vectorForward(
            boolean keep, float[] x, int nIn, float[] w, float[] rw, float[] bias, int steps, int batch, int units) {
        int block = batch * units;
        float[] gates = keep ? scratch.of("gates", steps * batch * 4 * units) : null;
        float[] c = scratch.of(keep ? "c" : "c (ring)", (keep ? steps : 2) * block);
        float[] tc = keep ? scratch.of("tanh c", steps * block) : null;
        float[] h = scratch.of("h", steps * block);
        vectorPasses++;
        VectorLstm pass = new VectorLstm(w, rw, bias, nIn, units, batch, h, c, gates, tc);
        for (int t = 0; t < steps; t++) {
            pass.step(x, t);
        }
        return new Pass(input, x, steps, batch, gates, c, tc, h);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!fast()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        Pass p = kept != null && kept.input() == input ? kept : forward(true, false, workspaceMgr);
        kept = null;
        int batch = p.batch();
        int steps = p.steps();
        int units = (int) layerConf().getNOut();
        int width = 4 * units;
        float[] eps = Rows.timeMajor(permuteIfNWC(epsilon), false, scratch, "eps");
        INDArray w = getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY);
        float[] rw = Rows.rowMajor(getParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY));
        recurrent.right(LoopMath.transpose(rw, units, width), width, units);
        float[] gates = p.gates();
        float[] cells = p.c();
        float[] tanhCells = p.tc();
        float[] dz = scratch.of("dz", gates.length); // every value written below
        float[] dh = new float[batch * units];
        float[] dc = new float[batch * units];
        float[] biasGradient = new float[width];
        boolean vector = Nonlinear.VECTOR && VectorLstm.fitsBackward(units);
        for (int t = steps - 1; t >= 0; t--) {
            int row0 = t * batch;
            LoopMath.zeroNegligible(dh, 0, dh.length);
            LoopMath.zeroNegligible(dc, 0, dc.length);
            if (vector) {
                VectorLstm.backward(gates, cells, tanhCells, eps, dh, dc, dz, biasGradient, row0, batch, units);
            } else {
                backwardStep(gates, cells, tanhCells, eps, dh, dc, dz, biasGradient, row0, batch, units);
            }
            LoopMath.zeroNegligible(dz, row0 * width, batch * width);
            Arrays.fill(dh, 0f);
            recurrent.mulAdd(dz, row0 * width, dh, 0, batch);
        }

        Pair<Gradient, INDArray> g = LoopMath.gradients(
                recurrent,
                dz,
                dz,
                biasGradient,
                width,
                p.x(),
                p.h(),
                units,
                batch,
                w,
                gradientViews,
                gradientsFlattened,
                dataType,
                workspaceMgr,
                LSTMParamInitializer.INPUT_WEIGHT_KEY,
                LSTMParamInitializer.RECURRENT_WEIGHT_KEY,
                LSTMParamInitializer.BIAS_KEY);
        return new Pair<>(g.getFirst(), backpropDropOutIfPresent(permuteIfNWC(g.getSecond())));
    }

    /** {@link VectorLstm#backward} one value at a time (any width, and JVMs without the Vector API). */
    private static void backwardStep(
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
        for (int i = 0; i < batch; i++) {
            int zo = (row0 + i) * width;
            int so = (row0 + i) * units;
            for (int k = 0; k < units; k++) {
                int s = i * units + k;
                float g = gates[zo + k];
                float f = gates[zo + units + k];
                float o = gates[zo + 2 * units + k];
                float ig = gates[zo + 3 * units + k];
                float tanhC = tanhCells[so + k];
                float dOut = eps[so + k] + dh[s];
                float dCell = dOut * o * (1 - tanhC * tanhC) + dc[s];
                float cPrev = row0 > 0 ? cells[so - batch * units + k] : 0f;
                float dG = dCell * ig * (1 - g * g);
                float dF = dCell * cPrev * f * (1 - f);
                float dO = dOut * tanhC * o * (1 - o);
                float dI = dCell * g * ig * (1 - ig);
                dz[zo + k] = dG;
                dz[zo + units + k] = dF;
                dz[zo + 2 * units + k] = dO;
                dz[zo + 3 * units + k] = dI;
                bias[k] += dG;
                bias[units + k] += dF;
                bias[2 * units + k] += dO;
                bias[3 * units + k] += dI;
                dc[s] = dCell * f;
            }
        }
    }

    @Override
    public void clear() {
        super.clear();
        kept = null;
    }
}
