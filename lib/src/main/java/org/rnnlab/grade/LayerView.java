package org.rnnlab.grade;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.rnnlab.layers.BidirectionalLastStep;
import org.rnnlab.layers.GRU;

/**
 * One layer of a learner's network as the checks see it: its position in the {@code .layer(...)}
 * list, kind, sizes, activation, dropout keep-probability, what a recurrent layer hands on,
 * parameter count (-1 before {@code init()}), loss and optimizer.
 */
public record LayerView(
        int position,
        LayerKind kind,
        String className,
        long nIn,
        long nOut,
        Activation activation,
        double keep,
        Form form,
        Boolean resetAfter,
        long params,
        ILossFunction loss,
        IUpdater updater,
        boolean attached) {

    /** The layers of {@code model} in order. A dropout set on a layer itself ({@code .dropOut(p)}) is listed as a dropout layer before it. */
    public static List<LayerView> of(MultiLayerNetwork model) {
        MultiLayerConfiguration conf = model.getLayerWiseConfigurations();
        boolean initialised = model.getLayers() != null;
        List<LayerView> views = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            long params = initialised ? model.getLayer(i).numParams() : -1;
            if (!(layer instanceof DropoutLayer) && layer.getIDropout() != null) {
                views.add(dropoutView(i + 1, layer.getIDropout(), true));
            }
            views.add(of(i + 1, layer, params));
        }
        return views;
    }

    /** One layer configuration seen on its own (position 1 unless given), e.g. a recurrent layer built in a notebook. */
    public static LayerView of(int position, Layer layer, long params) {
        if (layer instanceof DropoutLayer d) {
            return dropoutView(position, d.getIDropout(), false);
        }
        Form form = Form.SEQUENCE;
        Layer inner = layer;
        if (layer instanceof BidirectionalLastStep b) {
            form = Form.BIDIRECTIONAL;
            inner = ((Bidirectional) b.getUnderlying()).getFwd();
        } else if (layer instanceof LastTimeStep t) {
            inner = t.getUnderlying();
            form = Form.LAST_STEP;
            if (inner instanceof Bidirectional bi) {
                form = Form.LAST_STEP_OF_BIDIRECTIONAL;
                inner = bi.getFwd();
            }
        } else if (layer instanceof Bidirectional bi) {
            form = Form.BIDIRECTIONAL_SEQUENCE;
            inner = bi.getFwd();
        }
        LayerKind kind = kindOf(inner);
        if (!kind.recurrent()) {
            form = Form.NONE;
        }
        long nIn = inner instanceof FeedForwardLayer f ? f.getNIn() : 0;
        long nOut = inner instanceof FeedForwardLayer f ? f.getNOut() : 0;
        Activation activation = inner instanceof BaseLayer b ? activationOf(b.getActivationFn()) : null;
        Boolean resetAfter = inner instanceof GRU g ? g.isResetAfter() : null;
        ILossFunction loss = inner instanceof BaseOutputLayer o ? o.getLossFn() : null;
        IUpdater updater = inner instanceof BaseLayer b ? b.getIUpdater() : null;
        return new LayerView(
                position,
                kind,
                inner.getClass().getSimpleName(),
                nIn,
                nOut,
                activation,
                Double.NaN,
                form,
                resetAfter,
                params,
                loss,
                updater,
                false);
    }

    private static LayerView dropoutView(int position, IDropout d, boolean attached) {
        LayerKind kind = d instanceof SpatialDropout ? LayerKind.SPATIAL_DROPOUT : LayerKind.DROPOUT;
        double keep = d instanceof SpatialDropout s ? s.getP() : d instanceof Dropout p ? p.getP() : Double.NaN;
        return new LayerView(
                position,
                kind,
                d == null ? "DropoutLayer" : d.getClass().getSimpleName(),
                0,
                0,
                null,
                keep,
                Form.NONE,
                null,
                0,
                null,
                null,
                attached);
    }

    private static LayerKind kindOf(Layer l) {
        if (l instanceof EmbeddingSequenceLayer || l instanceof EmbeddingLayer) {
            return LayerKind.EMBEDDING;
        }
        if (l instanceof SimpleRnn) {
            return LayerKind.SIMPLE_RNN;
        }
        if (l instanceof LSTM) {
            return LayerKind.LSTM;
        }
        if (l instanceof GRU) {
            return LayerKind.GRU;
        }
        if (l instanceof OutputLayer) {
            return LayerKind.OUTPUT;
        }
        if (l instanceof DenseLayer) {
            return LayerKind.DENSE;
        }
        return LayerKind.OTHER;
    }

    /** The {@link Activation} constant of an activation function, or null for one that has none. */
    static Activation activationOf(IActivation fn) {
        if (fn == null) {
            return null;
        }
        for (Activation a : Activation.values()) {
            try {
                if (a.getActivationFunction().getClass() == fn.getClass()) {
                    return a;
                }
            } catch (RuntimeException notAvailable) {
                // some constants have no plain function object
            }
        }
        return null;
    }

    /** Whether this is a recurrent layer (SimpleRnn, LSTM, GRU), wrapped or not. */
    public boolean recurrent() {
        return kind.recurrent();
    }

    /** How hints name this layer: "layer 3 (SimpleRnn)", or "the dropout on layer 5". */
    public String name() {
        if (attached) {
            return "the dropout set on layer " + position;
        }
        return "layer " + position + " (" + (kind == LayerKind.OTHER ? className : kind.keras()) + ")";
    }

    /** "a SimpleRnn", "an LSTM", "a BatchNormalization": what this layer is, for a hint. */
    public String what() {
        return kind == LayerKind.OTHER ? "a " + className : kind.withArticle();
    }
}
