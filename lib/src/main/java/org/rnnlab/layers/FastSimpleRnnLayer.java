package org.rnnlab.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
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
    private record Pass(INDArray input, INDArray x, int steps, int batch, double[] h, INDArray out) {
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
        Pass p = forward(training, workspaceMgr);
        kept = training ? p : null;
        return p.out();
    }

    private Pass forward(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        INDArray in = permuteIfNWC(input);
        int batch = (int) in.size(0);
        int steps = (int) in.size(2);
        int units = (int) layerConf().getNOut();
        INDArray x = Kernels.rows(in);
        double[] h = Kernels.project(x, getParamWithNoise(SimpleRnnParamInitializer.WEIGHT_KEY, training, mgr),
                getParamWithNoise(SimpleRnnParamInitializer.BIAS_KEY, training, mgr), units);
        double[] rw = Kernels.rowMajor(getParamWithNoise(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY, training, mgr));
        int block = batch * units;
        for (int t = 0; t < steps; t++) {
            int off = t * block;
            if (t > 0) {
                gemm.mulAdd(h, off - block, rw, h, off, batch, units, units);
            }
            for (int j = off; j < off + block; j++) {
                h[j] = Kernels.tanh(h[j]);
            }
        }
        INDArray out = Kernels.toNcw(h, steps, batch, units, dataType, mgr, ArrayType.ACTIVATIONS);
        return new Pass(input, x, steps, batch, h, permuteIfNWC(out));
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
        INDArray w = getParamWithNoise(SimpleRnnParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        double[] rwT = Kernels.transpose(Kernels.rowMajor(getParamWithNoise(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY,
                true, workspaceMgr)), units, units);
        double[] h = p.h();
        double[] carried = new double[block];
        for (int t = steps - 1; t >= 0; t--) {
            int off = t * block;
            for (int j = 0; j < block; j++) {
                double out = h[off + j];
                dz[off + j] = (dz[off + j] + carried[j]) * (1 - out * out);
            }
            Arrays.fill(carried, 0.0);
            gemm.mulAdd(dz, off, rwT, carried, 0, batch, units, units);
        }

        INDArray dZ = Kernels.matrix(dz, (long) steps * batch, units);
        INDArray wg = gradientViews.get(SimpleRnnParamInitializer.WEIGHT_KEY);
        INDArray rwg = gradientViews.get(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray bg = gradientViews.get(SimpleRnnParamInitializer.BIAS_KEY);
        wg.assign(p.x().transpose().mmul(dZ));
        rwg.assign(Kernels.matrix(Kernels.previous(h, batch, units), (long) steps * batch, units).transpose().mmul(dZ));
        bg.assign(Nd4j.createFromArray(Kernels.columnSums(dz, units)).reshape(bg.shape()));
        INDArray epsOut = Kernels.inputGradient(dZ, w, steps, batch, dataType, workspaceMgr);
        weightNoiseParams.clear();

        Gradient g = new DefaultGradient(gradientsFlattened);
        g.gradientForVariable().put(SimpleRnnParamInitializer.WEIGHT_KEY, wg);
        g.gradientForVariable().put(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY, rwg);
        g.gradientForVariable().put(SimpleRnnParamInitializer.BIAS_KEY, bg);
        return new Pair<>(g, backpropDropOutIfPresent(permuteIfNWC(epsOut)));
    }

    @Override
    public void clear() {
        super.clear();
        kept = null;
    }
}
