package org.rnnlab.layers;

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
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The computation of a {@link FastSimpleRnn}: h_t = tanh(x_t·W + h_{t-1}·RW + b), DL4J's equation and
 * parameters, with the time loop over plain arrays ({@link Kernels}). Masks, other activations, layer
 * normalisation and weight noise go to DL4J's own implementation, which it extends.
 */
public class FastSimpleRnnLayer extends SimpleRnn {

    /** One forward pass: the input, its rows, and the outputs of every step. */
    private record Pass(INDArray input, double[] x, int steps, int batch, double[] h) {
    }

    private Pass kept;
    private final StepGemm gemm = new StepGemm();

    /** Creates the layer; called by {@link FastSimpleRnn#instantiate}. */
    public FastSimpleRnnLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private boolean fast() {
        var c = layerConf();
        return maskArray == null && c.getActivationFn() instanceof ActivationTanH && !c.hasLayerNorm() && c.getWeightNoise() == null;
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
        kept = training ? forward(true, workspaceMgr) : null;
        INDArray in = permuteIfNWC(input);
        double[] h = training ? kept.h() : predict();
        return permuteIfNWC(Kernels.toNcw(h, (int) in.size(2), (int) in.size(0), (int) layerConf().getNOut(), dataType,
                workspaceMgr, ArrayType.ACTIVATIONS));
    }

    /**
     * The forward pass for prediction: only the outputs are kept, so each step computes its pre-activations as
     * one product [x_t | h_{t-1}]·[W; RW] of small blocks that stay in cache, instead of all steps' at once.
     */
    private double[] predict() {
        assertInputSet(false);
        StepInput in = StepInput.of(permuteIfNWC(input));
        int batch = in.batch();
        int nIn = in.features();
        int units = (int) layerConf().getNOut();
        int k = nIn + units;
        gemm.right(Kernels.stack(Kernels.rowMajor(getParam(SimpleRnnParamInitializer.WEIGHT_KEY)),
                Kernels.rowMajor(getParam(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY))), k, units);
        double[] bias = Kernels.rowMajor(getParam(SimpleRnnParamInitializer.BIAS_KEY));
        int block = batch * units;
        double[] xh = new double[batch * k];
        double[] h = new double[in.steps() * block];
        for (int t = 0; t < in.steps(); t++) {
            int off = t * block;
            in.copyStep(t, xh, 0, k);
            for (int i = 0; i < batch; i++) {
                if (t > 0) {
                    System.arraycopy(h, off - block + i * units, xh, i * k + nIn, units);
                }
                System.arraycopy(bias, 0, h, off + i * units, units);
            }
            gemm.mulAdd(xh, 0, h, off, batch);
            Nonlinear.tanh(h, off, h, off, block);
        }
        return h;
    }

    private Pass forward(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        INDArray in = permuteIfNWC(input);
        int batch = (int) in.size(0);
        int steps = (int) in.size(2);
        int units = (int) layerConf().getNOut();
        double[] x = Kernels.timeMajor(in);
        double[] h = Kernels.project(x, (int) in.size(1), getParam(SimpleRnnParamInitializer.WEIGHT_KEY),
                getParam(SimpleRnnParamInitializer.BIAS_KEY), units);
        gemm.right(Kernels.rowMajor(getParam(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY)), units, units);
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
        double[] dz = Kernels.timeMajor(permuteIfNWC(epsilon));
        INDArray w = getParam(SimpleRnnParamInitializer.WEIGHT_KEY);
        double[] rw = Kernels.rowMajor(getParam(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY));
        gemm.right(Kernels.transpose(rw, units, units), units, units);
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

        Pair<Gradient, INDArray> g = Kernels.gradients(dz, dz, units, p.x(), p.h(), units, batch, w, gradientViews, gradientsFlattened,
                dataType, workspaceMgr, SimpleRnnParamInitializer.WEIGHT_KEY, SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY,
                SimpleRnnParamInitializer.BIAS_KEY);
        return new Pair<>(g.getFirst(), backpropDropOutIfPresent(permuteIfNWC(g.getSecond())));
    }

    @Override
    public void clear() {
        super.clear();
        kept = null;
    }
}
