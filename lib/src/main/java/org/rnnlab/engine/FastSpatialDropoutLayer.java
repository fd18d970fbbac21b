package org.rnnlab.engine;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.DropoutLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.DropOutInverted;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The computation of a {@link FastSpatialDropout}. Spatial dropout multiplies a sequence [batch, features, time]
 * by a mask [batch, features] of zeros and 1/p, the same at every step. The engine's layers hand sequences over
 * laid out step by step ([time, batch, features] in memory), where DL4J's broadcast over the last axis runs its
 * slowest, element-by-element loop; seen as [time, batch·features] rows, the same product is the fastest one (a
 * row vector times each row). The mask is drawn as DL4J's {@code SpatialDropout} draws it, so a seeded network
 * drops the same features either way. Other layouts, other dropouts, masks and inference go to DL4J's own code.
 */
public class FastSpatialDropoutLayer extends DropoutLayer {

    /** The mask of the training pass in progress, [batch, features]; null when DL4J's code ran it. */
    private INDArray mask;

    /** How many training passes took the fast path (tests check that it ran). */
    int fastPasses;

    /** Creates the layer; called by {@link FastSpatialDropout#instantiate}. */
    public FastSpatialDropoutLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        mask = null;
        if (!training
                || maskArray != null
                || !Rows.stepByStep(input)
                || !(layerConf().getIDropout() instanceof SpatialDropout dropout)) {
            return super.activate(training, workspaceMgr);
        }
        assertInputSet(false);
        long batch = input.size(0);
        long features = input.size(1);
        long steps = input.size(2);
        double keep = dropout.getPSchedule() != null
                ? dropout.getPSchedule().valueAt(getIterationCount(), getEpochCount())
                : dropout.getP();
        mask = workspaceMgr
                .createUninitialized(ArrayType.INPUT, input.dataType(), batch, features)
                .assign(1.0);
        Nd4j.getExecutioner().exec(new DropOutInverted(mask, keep));
        INDArray out = workspaceMgr.createUninitialized(
                ArrayType.ACTIVATIONS, input.dataType(), new long[] {steps, batch, features}, 'c');
        multiply(input, out);
        fastPasses++;
        return out.permute(1, 2, 0);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (mask == null) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray delta;
        if (Rows.stepByStep(epsilon)) {
            delta = workspaceMgr.createUninitialized(
                    ArrayType.ACTIVATION_GRAD,
                    epsilon.dataType(),
                    new long[] {epsilon.size(2), epsilon.size(0), epsilon.size(1)},
                    'c');
            multiply(epsilon, delta);
            delta = delta.permute(1, 2, 0);
        } else {
            delta = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon);
            Broadcast.mul(delta, mask, delta, 0, 1);
        }
        mask = null;
        return new Pair<>(new DefaultGradient(), delta);
    }

    /** {@code out} [time, batch, features] = {@code in} (laid out step by step) times the mask at every step. */
    private void multiply(INDArray in, INDArray out) {
        long steps = in.size(2);
        long row = in.size(0) * in.size(1);
        INDArray rows = Nd4j.create(in.data(), new long[] {steps, row}, new long[] {row, 1}, 0, 'c', in.dataType());
        Broadcast.mul(rows, mask.reshape(row), out.reshape('c', steps, row), 1);
    }

    @Override
    public void clear() {
        super.clear();
        mask = null;
    }
}
