package org.rnnlab.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

/**
 * The computation of a {@link BidirectionalLastStep}: runs DL4J's bidirectional layer (both halves
 * aligned with the input's time axis), then takes the forward half at each sequence's last step and
 * the backward half at its first, and merges them; backprop places the gradient at those two steps.
 */
public class BidirectionalLastStepLayer extends BaseWrapperLayer {

    private final Bidirectional.Mode mode;
    private int[] first;
    private int[] last;
    private long[] shape;
    private INDArray fwd;
    private INDArray bwd;

    /** Wraps an instantiated DL4J bidirectional layer (CONCAT mode). */
    public BidirectionalLastStepLayer(Layer bidirectional, Bidirectional.Mode mode) {
        super(bidirectional);
        this.mode = mode;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return merge(underlying.activate(training, workspaceMgr), workspaceMgr);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        return merge(underlying.activate(input, training, workspaceMgr), workspaceMgr);
    }

    private INDArray merge(INDArray both, LayerWorkspaceMgr mgr) {
        if (both.rank() != 3) {
            throw new IllegalStateException("expected [batch, 2·units, time] from the bidirectional layer, got rank " + both.rank());
        }
        shape = both.shape();
        int mb = (int) shape[0];
        long n = shape[1] / 2;
        int steps = (int) shape[2];
        first = new int[mb];
        last = new int[mb];
        INDArray mask = underlying.getMaskArray();
        for (int i = 0; i < mb; i++) {
            first[i] = 0;
            last[i] = steps - 1;
            if (mask != null) {
                while (first[i] < steps - 1 && mask.getDouble(i, first[i]) == 0) {
                    first[i]++;
                }
                while (last[i] > 0 && mask.getDouble(i, last[i]) == 0) {
                    last[i]--;
                }
            }
        }
        // Kept for backprop (MUL needs both halves), so outside any workspace that closes in between.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            fwd = Nd4j.create(both.dataType(), mb, n);
            bwd = Nd4j.create(both.dataType(), mb, n);
            if (mask == null) {
                fwd.assign(both.get(all(), interval(0, n), point(steps - 1)));
                bwd.assign(both.get(all(), interval(n, 2 * n), point(0)));
            } else {
                for (int i = 0; i < mb; i++) {
                    fwd.getRow(i).assign(both.get(point(i), interval(0, n), point(last[i])));
                    bwd.getRow(i).assign(both.get(point(i), interval(n, 2 * n), point(first[i])));
                }
            }
        }
        INDArray out = switch (mode) {
            case CONCAT -> Nd4j.concat(1, fwd, bwd);
            case ADD -> fwd.add(bwd);
            case MUL -> fwd.mul(bwd);
            case AVERAGE -> fwd.add(bwd).muli(0.5);
        };
        return mgr.leverageTo(ArrayType.ACTIVATIONS, out);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        long n = shape[1] / 2;
        INDArray dF;
        INDArray dB;
        switch (mode) {
            case CONCAT -> {
                dF = epsilon.get(all(), interval(0, n));
                dB = epsilon.get(all(), interval(n, 2 * n));
            }
            case ADD -> {
                dF = epsilon;
                dB = epsilon;
            }
            case MUL -> {
                dF = epsilon.mul(bwd);
                dB = epsilon.mul(fwd);
            }
            default -> {
                dF = epsilon.mul(0.5);
                dB = dF;
            }
        }
        INDArray eps3 = Nd4j.zeros(epsilon.dataType(), shape[0], shape[1], shape[2]);
        for (int i = 0; i < shape[0]; i++) {
            eps3.get(point(i), interval(0, n), point(last[i])).assign(dF.getRow(i));
            eps3.get(point(i), interval(n, 2 * n), point(first[i])).addi(dB.getRow(i));
        }
        return underlying.backpropGradient(eps3, workspaceMgr);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        underlying.feedForwardMaskArray(maskArray, currentMaskState, minibatchSize);
        setMaskArray(maskArray);
        // After taking one step per direction the output is per example: no mask follows.
        return new Pair<>(null, currentMaskState);
    }
}
