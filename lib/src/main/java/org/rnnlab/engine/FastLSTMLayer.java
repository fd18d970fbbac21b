package org.rnnlab.engine;

import java.util.Arrays;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computation of a {@link FastLSTM}: DL4J's LSTM equations and parameters, with the time loop
 * run over plain arrays ({@link LoopMath}, {@link Nonlinear}) instead of a dozen ND4J calls per step. Configurations it
 * was not written for (masks, an activation other than tanh or gates other than sigmoid, weight
 * noise, truncated BPTT, stored state) go to DL4J's own implementation, which it extends.
 *
 * <p>Per step, with blocks g, f, o, i of z = x_t·W + h_{t-1}·RW + b (DL4J's column order):
 * c_t = σ(f)⊙c_{t-1} + σ(i)⊙tanh(g), h_t = σ(o)⊙tanh(c_t).
 */
public class FastLSTMLayer extends LSTM implements ReversiblePrediction {

    /** One forward pass: the input rows, the gate activations g, f, o, i, cell states, their tanh and the outputs. */
    private record Pass(
            INDArray input, double[] x, int steps, int batch, double[] gates, double[] c, double[] tc, double[] h) {}

    private Pass kept;
    private final StepGemm gemm = new StepGemm();

    /** Creates the layer; called by {@link FastLSTM#instantiate}. */
    public FastLSTMLayer(NeuralNetConfiguration conf, org.nd4j.linalg.api.buffer.DataType dataType) {
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
        return permuteIfNWC(predict(workspaceMgr, true));
    }

    private boolean fast() {
        var c = layerConf();
        return maskArray == null
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
        if (!training) {
            kept = null;
            return permuteIfNWC(predict(workspaceMgr, false));
        }
        kept = forward(true, workspaceMgr);
        return permuteIfNWC(LoopMath.toNcw(
                kept.h(),
                kept.steps(),
                kept.batch(),
                (int) layerConf().getNOut(),
                dataType,
                workspaceMgr,
                ArrayType.ACTIVATIONS));
    }

    /**
     * One step for a batch: from the pre-activations z (rows of g, f, o, i at {@code z0}) and the previous cell
     * states (at {@code prev0}; none when negative), the gate activations (in place), the cell states (at
     * {@code c0}, which may be {@code prev0}), their tanh (at {@code tc0}) and the outputs (at {@code h0}).
     */
    private static void step(
            double[] z,
            int z0,
            double[] c,
            int prev0,
            int c0,
            double[] tc,
            int tc0,
            double[] h,
            int h0,
            int batch,
            int units) {
        int width = 4 * units;
        for (int i = 0; i < batch; i++) {
            int zo = z0 + i * width;
            Nonlinear.tanh(z, zo, z, zo, units); // g
            Nonlinear.sigmoid(z, zo + units, 3 * units); // f, o, i
            for (int k = 0; k < units; k++) {
                double cPrev = prev0 < 0 ? 0.0 : c[prev0 + i * units + k];
                c[c0 + i * units + k] = z[zo + units + k] * cPrev + z[zo + 3 * units + k] * z[zo + k];
            }
        }
        Nonlinear.tanh(c, c0, tc, tc0, batch * units);
        for (int i = 0; i < batch; i++) {
            int zo = z0 + i * width + 2 * units;
            for (int k = 0; k < units; k++) {
                h[h0 + i * units + k] = z[zo + k] * tc[tc0 + i * units + k];
            }
        }
    }

    /** The forward pass for training: every step's gates, cell states and their tanh kept for backprop. */
    private Pass forward(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        INDArray in = permuteIfNWC(input);
        int batch = (int) in.size(0);
        int steps = (int) in.size(2);
        int units = (int) layerConf().getNOut();
        int width = 4 * units;
        double[] x = LoopMath.timeMajor(in);
        double[] z = LoopMath.project(
                x,
                (int) in.size(1),
                getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY),
                getParam(LSTMParamInitializer.BIAS_KEY),
                width);
        gemm.right(LoopMath.rowMajor(getParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY)), units, width, dataType);
        int cells = steps * batch * units;
        double[] c = new double[cells];
        double[] tc = new double[cells];
        double[] h = new double[cells];
        for (int t = 0; t < steps; t++) {
            int row0 = t * batch;
            if (t > 0) {
                gemm.mulAdd(h, (row0 - batch) * units, z, row0 * width, batch);
            }
            int s0 = row0 * units;
            step(z, row0 * width, c, t > 0 ? s0 - batch * units : -1, s0, tc, s0, h, s0, batch, units);
        }
        return new Pass(input, x, steps, batch, z, c, tc, h);
    }

    /**
     * The forward pass for prediction, on native memory ({@link NativeSteps}): each step's x_t·W + h_{t-1}·RW is
     * computed from the input and the previous outputs into a small buffer, and only the outputs are kept,
     * written straight into the returned array.
     */
    private INDArray predict(LayerWorkspaceMgr mgr, boolean reversed) {
        assertInputSet(false);
        int units = (int) layerConf().getNOut();
        int width = 4 * units;
        try (NativeSteps s = new NativeSteps(permuteIfNWC(input), units, reversed, dataType, mgr)) {
            int batch = s.batch();
            Pointer w = s.matrix(LoopMath.rowMajor(getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY)));
            Pointer rw = s.matrix(LoopMath.rowMajor(getParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY)));
            Pointer zNative = s.scratch(batch * width);
            double[] bias = LoopMath.rowMajor(getParam(LSTMParamInitializer.BIAS_KEY));
            double[] z = new double[batch * width];
            double[] c = new double[batch * units];
            double[] tc = new double[batch * units];
            double[] h = new double[batch * units];
            for (int t = 0; t < s.steps(); t++) {
                s.inputProduct(t, w, width, zNative, 0, width, 0.0);
                if (t > 0) {
                    s.product(s.previousOutput(), s.outputOffset(t - 1), batch, units, rw, width, zNative, 0, 1.0);
                }
                s.get(zNative, 0, z, 0, z.length);
                LoopMath.addRowVector(z, width, bias, 0);
                step(z, 0, c, t > 0 ? 0 : -1, 0, tc, 0, h, 0, batch, units);
                s.put(h, 0, s.output(), s.outputOffset(t), h.length);
            }
            return s.result();
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!fast()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        Pass p = kept != null && kept.input() == input ? kept : forward(true, workspaceMgr);
        kept = null;
        int batch = p.batch();
        int steps = p.steps();
        int units = (int) layerConf().getNOut();
        int width = 4 * units;
        double[] eps = LoopMath.timeMajor(permuteIfNWC(epsilon));
        INDArray w = getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY);
        double[] rw = LoopMath.rowMajor(getParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY));
        gemm.right(LoopMath.transpose(rw, units, width), width, units, dataType);
        double[] gates = p.gates();
        double[] dz = new double[gates.length];
        double[] dh = new double[batch * units];
        double[] dc = new double[batch * units];
        for (int t = steps - 1; t >= 0; t--) {
            int row0 = t * batch;
            for (int i = 0; i < batch; i++) {
                int zo = (row0 + i) * width;
                int so = (row0 + i) * units;
                for (int k = 0; k < units; k++) {
                    int s = i * units + k;
                    double g = gates[zo + k];
                    double f = gates[zo + units + k];
                    double o = gates[zo + 2 * units + k];
                    double ig = gates[zo + 3 * units + k];
                    double tanhC = p.tc()[so + k];
                    double dOut = eps[so + k] + dh[s];
                    double dCell = dOut * o * (1 - tanhC * tanhC) + dc[s];
                    double cPrev = t > 0 ? p.c()[so - batch * units + k] : 0.0;
                    dz[zo + k] = dCell * ig * (1 - g * g);
                    dz[zo + units + k] = dCell * cPrev * f * (1 - f);
                    dz[zo + 2 * units + k] = dOut * tanhC * o * (1 - o);
                    dz[zo + 3 * units + k] = dCell * g * ig * (1 - ig);
                    dc[s] = dCell * f;
                }
            }
            Arrays.fill(dh, 0.0);
            gemm.mulAdd(dz, row0 * width, dh, 0, batch);
        }

        Pair<Gradient, INDArray> g = LoopMath.gradients(
                dz,
                dz,
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

    @Override
    public void clear() {
        super.clear();
        kept = null;
    }
}
