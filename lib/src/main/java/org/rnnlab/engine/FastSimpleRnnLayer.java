package org.rnnlab.engine;

import java.util.Arrays;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.params.SimpleRnnParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computation of a {@link FastSimpleRnn}: h_t = tanh(x_t·W + h_{t-1}·RW + b), DL4J's equation and
 * parameters, with the time loop over plain arrays ({@link LoopMath}). Masks, other activations, layer
 * normalisation and weight noise go to DL4J's own implementation, which it extends.
 */
public class FastSimpleRnnLayer extends SimpleRnn implements ReversiblePrediction {

    /** One forward pass: the input, its rows, and the outputs of every step. */
    private record Pass(INDArray input, double[] x, int steps, int batch, double[] h) {}

    private Pass kept;
    private final StepGemm gemm = new StepGemm();

    /** Creates the layer; called by {@link FastSimpleRnn#instantiate}. */
    public FastSimpleRnnLayer(NeuralNetConfiguration conf, DataType dataType) {
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
                && !c.hasLayerNorm()
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
     * The forward pass for prediction, on native memory ({@link NativeSteps}): each step's x_t·W and h_{t-1}·RW
     * go from the input and the previous outputs straight into the returned array, where tanh(· + b) is applied.
     */
    private INDArray predict(LayerWorkspaceMgr mgr, boolean reversed) {
        assertInputSet(false);
        int units = (int) layerConf().getNOut();
        try (NativeSteps s = new NativeSteps(permuteIfNWC(input), units, reversed, dataType, mgr)) {
            Pointer w = s.matrix(LoopMath.rowMajor(getParam(SimpleRnnParamInitializer.WEIGHT_KEY)));
            Pointer rw = s.matrix(LoopMath.rowMajor(getParam(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY)));
            double[] bias = LoopMath.rowMajor(getParam(SimpleRnnParamInitializer.BIAS_KEY));
            int batch = s.batch();
            int block = batch * units;
            double[] z = new double[block];
            for (int t = 0; t < s.steps(); t++) {
                long off = s.outputOffset(t);
                s.inputProduct(t, w, units, s.output(), off, units, 0.0);
                if (t > 0) {
                    s.product(s.previousOutput(), off - block, batch, units, rw, units, s.output(), off, 1.0);
                }
                s.get(s.output(), off, z, 0, block);
                LoopMath.addRowVector(z, units, bias, 0);
                Nonlinear.tanh(z, 0, z, 0, block);
                s.put(z, 0, s.output(), off, block);
            }
            return s.result();
        }
    }

    private Pass forward(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        INDArray in = permuteIfNWC(input);
        int batch = (int) in.size(0);
        int steps = (int) in.size(2);
        int units = (int) layerConf().getNOut();
        double[] x = LoopMath.timeMajor(in);
        double[] h = LoopMath.project(
                x,
                (int) in.size(1),
                getParam(SimpleRnnParamInitializer.WEIGHT_KEY),
                getParam(SimpleRnnParamInitializer.BIAS_KEY),
                units);
        gemm.right(LoopMath.rowMajor(getParam(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY)), units, units, dataType);
        int block = batch * units;
        for (int t = 0; t < steps; t++) {
            int off = t * block;
            if (t > 0) {
                gemm.mulAdd(h, off - block, h, off, batch);
            }
            Nonlinear.tanh(h, off, h, off, block);
        }
        return new Pass(input, x, steps, batch, h);
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
        int block = batch * units;
        double[] dz = LoopMath.timeMajor(permuteIfNWC(epsilon));
        INDArray w = getParam(SimpleRnnParamInitializer.WEIGHT_KEY);
        double[] rw = LoopMath.rowMajor(getParam(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY));
        gemm.right(LoopMath.transpose(rw, units, units), units, units, dataType);
        double[] h = p.h();
        double[] carried = new double[block];
        for (int t = steps - 1; t >= 0; t--) {
            int off = t * block;
            for (int j = 0; j < block; j++) {
                double out = h[off + j];
                dz[off + j] = (dz[off + j] + carried[j]) * (1 - out * out);
            }
            Arrays.fill(carried, 0.0);
            gemm.mulAdd(dz, off, carried, 0, batch);
        }

        Pair<Gradient, INDArray> g = LoopMath.gradients(
                dz,
                dz,
                units,
                p.x(),
                p.h(),
                units,
                batch,
                w,
                gradientViews,
                gradientsFlattened,
                dataType,
                workspaceMgr,
                SimpleRnnParamInitializer.WEIGHT_KEY,
                SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY,
                SimpleRnnParamInitializer.BIAS_KEY);
        return new Pair<>(g.getFirst(), backpropDropOutIfPresent(permuteIfNWC(g.getSecond())));
    }

    @Override
    public void clear() {
        super.clear();
        kept = null;
    }
}
