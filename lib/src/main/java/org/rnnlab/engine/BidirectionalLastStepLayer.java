package org.rnnlab.engine;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.params.BidirectionalParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The computation of a {@link BidirectionalLastStep}: the forward layer's state after each sequence's
 * last step merged with the backward layer's state after its first. Without a mask it runs the two
 * layers itself, the backward one on the time-reversed input, and takes each one's final step; with a
 * mask it runs DL4J's bidirectional layer (both halves aligned with the input's time axis) and picks
 * each example's steps from the mask. Backprop places the gradient at those two steps.
 */
public class BidirectionalLastStepLayer extends BaseWrapperLayer {

    private final Bidirectional.Mode mode;
    private final Layer fwdLayer;
    private final Layer bwdLayer;
    /** Whether the last forward pass ran the two directions here (no mask) rather than through DL4J's layer. */
    private boolean direct;

    private INDArray directInput;
    private int[] first;
    private int[] last;
    private long[] shape;
    private INDArray fwd;
    private INDArray bwd;

    /** Wraps an instantiated DL4J bidirectional layer (CONCAT mode) and the two layers inside it. */
    public BidirectionalLastStepLayer(
            BidirectionalLayer bidirectional, Layer forward, Layer backward, Bidirectional.Mode mode) {
        super(bidirectional);
        this.mode = mode;
        this.fwdLayer = forward;
        this.bwdLayer = backward;
    }

    /** The forward and the backward layer. */
    java.util.List<Layer> halves() {
        return java.util.List.of(fwdLayer, bwdLayer);
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        direct = false;
        return merge(underlying.activate(training, workspaceMgr), workspaceMgr);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        direct = underlying.getMaskArray() == null && input.rank() == 3 && ncw(fwdLayer) && ncw(bwdLayer);
        if (!direct) {
            directInput = null;
            return merge(underlying.activate(input, training, workspaceMgr), workspaceMgr);
        }
        directInput = input;
        shape = new long[] {
            input.size(0),
            2
                    * ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer)
                                    fwdLayer.conf().getLayer())
                            .getNOut(),
            input.size(2)
        };
        long steps = shape[2];
        INDArray f = fwdLayer.activate(input, training, workspaceMgr);
        INDArray b = !training && bwdLayer instanceof ReversiblePrediction r && r.predictsReversed()
                ? r.predictReversed(input, workspaceMgr)
                : bwdLayer.activate(Rows.reverseTime(input), training, workspaceMgr);
        return combine(f.get(all(), all(), point(steps - 1)), b.get(all(), all(), point(steps - 1)), workspaceMgr);
    }

    @Override
    public INDArray input() {
        return direct ? directInput : underlying.input();
    }

    @Override
    public void clear() {
        super.clear();
        directInput = null;
        fwd = null;
        bwd = null;
    }

    private static boolean ncw(Layer layer) {
        return layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer r
                && r.getRnnDataFormat() == org.deeplearning4j.nn.conf.RNNFormat.NCW;
    }

    private INDArray merge(INDArray both, LayerWorkspaceMgr mgr) {
        if (both.rank() != 3) {
            throw new IllegalStateException(
                    "expected [batch, 2·units, time] from the bidirectional layer, got rank " + both.rank());
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
        if (mask == null) {
            return combine(
                    both.get(all(), interval(0, n), point(steps - 1)),
                    both.get(all(), interval(n, 2 * n), point(0)),
                    mgr);
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray f = Nd4j.create(both.dataType(), mb, n);
            INDArray b = Nd4j.create(both.dataType(), mb, n);
            for (int i = 0; i < mb; i++) {
                f.getRow(i).assign(both.get(point(i), interval(0, n), point(last[i])));
                b.getRow(i).assign(both.get(point(i), interval(n, 2 * n), point(first[i])));
            }
            return combine(f, b, mgr);
        }
    }

    /** Merges the two final states [batch, units] with the mode; both are kept for backprop (MUL needs them). */
    private INDArray combine(INDArray f, INDArray b, LayerWorkspaceMgr mgr) {
        // Kept outside any workspace that closes before backprop.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            fwd = f.dup();
            bwd = b.dup();
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
        if (direct) {
            return backpropDirect(dF, dB, workspaceMgr);
        }
        INDArray eps3 = Nd4j.zeros(epsilon.dataType(), shape[0], shape[1], shape[2]);
        for (int i = 0; i < shape[0]; i++) {
            eps3.get(point(i), interval(0, n), point(last[i])).assign(dF.getRow(i));
            eps3.get(point(i), interval(n, 2 * n), point(first[i])).addi(dB.getRow(i));
        }
        return underlying.backpropGradient(eps3, workspaceMgr);
    }

    /** Backprop through the two directions run by {@link #activate(INDArray, boolean, LayerWorkspaceMgr)}. */
    private Pair<Gradient, INDArray> backpropDirect(INDArray dF, INDArray dB, LayerWorkspaceMgr mgr) {
        long n = shape[1] / 2;
        long steps = shape[2];
        INDArray epsF = Nd4j.zeros(dF.dataType(), shape[0], n, steps);
        epsF.get(all(), all(), point(steps - 1)).assign(dF);
        INDArray epsB = Nd4j.zeros(dB.dataType(), shape[0], n, steps);
        epsB.get(all(), all(), point(steps - 1)).assign(dB);
        Pair<Gradient, INDArray> gf = fwdLayer.backpropGradient(epsF, mgr);
        Pair<Gradient, INDArray> gb = bwdLayer.backpropGradient(epsB, mgr);
        // Named and laid out as DL4J's bidirectional layer names its parameters ("f…", "b…").
        Gradient g = new DefaultGradient(underlying.getGradientsViewArray());
        gf.getFirst()
                .gradientForVariable()
                .forEach((k, v) -> g.gradientForVariable().put(BidirectionalParamInitializer.FORWARD_PREFIX + k, v));
        gb.getFirst()
                .gradientForVariable()
                .forEach((k, v) -> g.gradientForVariable().put(BidirectionalParamInitializer.BACKWARD_PREFIX + k, v));
        return new Pair<>(g, Rows.addReversed(gf.getSecond(), gb.getSecond()));
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(
            INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        underlying.feedForwardMaskArray(maskArray, currentMaskState, minibatchSize);
        setMaskArray(maskArray);
        // After taking one step per direction the output is per example: no mask follows.
        return new Pair<>(null, currentMaskState);
    }
}
