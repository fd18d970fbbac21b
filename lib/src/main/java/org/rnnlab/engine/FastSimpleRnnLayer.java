package org.rnnlab.engine;

import java.util.Arrays;
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
 * parameters, with the time loop over single-precision arrays. Double-precision networks (gradient
 * checks), masks, other activations, layer normalisation and weight noise go to DL4J's own
 * implementation, which it extends.
 */
public class FastSimpleRnnLayer extends SimpleRnn implements ReversiblePrediction {

    /** One forward pass: the input, its rows, and the outputs of every step. */
    private record Pass(INDArray input, float[] x, int steps, int batch, float[] h) {}

    private Pass kept;
    private final Sgemm recurrent = new Sgemm();
    private final Scratch scratch = new Scratch();
    /** How many forward passes took the fast path (tests check that it ran). */
    int fastPasses;

    /** How many of them ran on {@link VectorProducts}. */
    int vectorPasses;

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
        return output(forward(false, true, workspaceMgr), workspaceMgr);
    }

    private boolean fast() {
        var c = layerConf();
        return dataType == DataType.FLOAT
                && maskArray == null
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
        Pass p = forward(training, false, workspaceMgr);
        kept = training ? p : null;
        return output(p, workspaceMgr);
    }

    private INDArray output(Pass p, LayerWorkspaceMgr mgr) {
        return permuteIfNWC(Rows.toNcw(
                p.h(), p.steps(), p.batch(), (int) layerConf().getNOut(), dataType, mgr, ArrayType.ACTIVATIONS));
    }

    /** The forward pass, over the input read backwards in time when {@code reversed}; every step's outputs kept. */
    private Pass forward(boolean training, boolean reversed, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, mgr);
        fastPasses++;
        INDArray in = permuteIfNWC(input);
        int batch = (int) in.size(0);
        int steps = (int) in.size(2);
        int units = (int) layerConf().getNOut();
        int nIn = (int) in.size(1);
        float[] x = Rows.timeMajor(in, reversed, scratch, "x");
        float[] w = Rows.rowMajor(getParam(SimpleRnnParamInitializer.WEIGHT_KEY));
        float[] h = scratch.of("h", steps * batch * units);
        float[] bias = Rows.rowMajor(getParam(SimpleRnnParamInitializer.BIAS_KEY));
        float[] rw = Rows.rowMajor(getParam(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY));
        int block = batch * units;
        if (Nonlinear.VECTOR && VectorProducts.fits(units, (long) (nIn + units) * units)) {
            // Each step: the bias, x_t·W and h_{t-1}·RW added straight into the step's outputs, then tanh.
            vectorPasses++;
            for (int t = 0; t < steps; t++) {
                int off = t * block;
                LoopMath.repeatRow(bias, 0, units, h, off, batch);
                VectorProducts.addProduct(x, t * batch * nIn, nIn, w, 0, units, h, off, units, batch, units);
                if (t > 0) {
                    VectorProducts.addProduct(h, off - block, units, rw, 0, units, h, off, units, batch, units);
                }
                Nonlinear.tanh(h, off, h, off, block);
            }
            return new Pass(input, x, steps, batch, h);
        }
        recurrent.right(rw, units, units);
        for (int t = 0; t < steps; t++) {
            int off = t * block;
            LoopMath.projectAhead(recurrent, t, steps, batch, x, nIn, w, units, h, off);
            LoopMath.addBias(h, off, batch, units, bias, 0);
            if (t > 0) {
                recurrent.mulAdd(h, off - block, h, off, batch);
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
        Pass p = kept != null && kept.input() == input ? kept : forward(true, false, workspaceMgr);
        kept = null;
        int batch = p.batch();
        int steps = p.steps();
        int units = (int) layerConf().getNOut();
        int block = batch * units;
        float[] dz = Rows.timeMajor(permuteIfNWC(epsilon), false, scratch, "dz");
        INDArray w = getParam(SimpleRnnParamInitializer.WEIGHT_KEY);
        float[] rw = Rows.rowMajor(getParam(SimpleRnnParamInitializer.RECURRENT_WEIGHT_KEY));
        recurrent.right(LoopMath.transpose(rw, units, units), units, units);
        float[] h = p.h();
        float[] carried = new float[block];
        float[] biasGradient = new float[units];
        for (int t = steps - 1; t >= 0; t--) {
            int off = t * block;
            LoopMath.zeroNegligible(carried, 0, block);
            for (int j = 0; j < block; j++) {
                float out = h[off + j];
                dz[off + j] = (dz[off + j] + carried[j]) * (1 - out * out);
            }
            LoopMath.zeroNegligible(dz, off, block);
            LoopMath.addColumnSums(dz, off, batch, units, biasGradient, 0);
            Arrays.fill(carried, 0f);
            recurrent.mulAdd(dz, off, carried, 0, batch);
        }

        Pair<Gradient, INDArray> g = LoopMath.gradients(
                recurrent,
                dz,
                dz,
                biasGradient,
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
