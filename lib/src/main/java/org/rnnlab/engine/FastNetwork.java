package org.rnnlab.engine;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a network written with DL4J's own layers on this library's faster ones: a second network of
 * the same configuration, with every DL4J {@code LSTM}, {@code SimpleRnn}, {@code EmbeddingSequenceLayer} and
 * spatial {@code DropoutLayer}
 * (also inside {@code LastTimeStep}, {@code Bidirectional} and {@code BidirectionalLastStep}) replaced by
 * its subclass with the faster loop, built on the <em>same</em> parameter array. Whatever trains the
 * second network trains the first: the learner's {@code model} holds the weights at every moment.
 *
 * <p>{@code Trainer} and {@code Predictor} go through it, so a learner writes only DL4J's classes and
 * still gets the faster layers; the faster layers compute the same equations and fall back to DL4J's
 * code for what they do not cover (masks, other activations, weight noise).
 */
public final class FastNetwork {

    private FastNetwork() {}

    /**
     * The network to run {@code model} with: {@code model} itself when none of its layers has a faster
     * version, otherwise a network sharing its parameters (initialising {@code model} first if it is not).
     */
    public static MultiLayerNetwork of(MultiLayerNetwork model) {
        MultiLayerConfiguration conf = model.getLayerWiseConfigurations().clone();
        return swapLayers(conf) ? twin(model, conf) : model;
    }

    /**
     * A network of its own (layers, buffers, workspaces) computing {@code model} on the faster layers and
     * sharing its parameters, even where no layer has a faster version: one per thread when several threads
     * run the same model.
     */
    public static MultiLayerNetwork twin(MultiLayerNetwork model) {
        MultiLayerConfiguration conf = model.getLayerWiseConfigurations().clone();
        swapLayers(conf);
        return twin(model, conf);
    }

    /** Puts the faster version of each layer of {@code conf} in its place; whether any layer had one. */
    private static boolean swapLayers(MultiLayerConfiguration conf) {
        boolean swapped = false;
        for (NeuralNetConfiguration layerConf : conf.getConfs()) {
            Layer fast = faster(layerConf.getLayer());
            if (fast != null) {
                layerConf.setLayer(fast);
                swapped = true;
            }
        }
        return swapped;
    }

    private static MultiLayerNetwork twin(MultiLayerNetwork model, MultiLayerConfiguration conf) {
        if (model.getLayers() == null) {
            model.init();
        }
        MultiLayerNetwork twin = new MultiLayerNetwork(conf);
        twin.init(model.params(), false);
        return twin;
    }

    /**
     * Before training {@code twin} (from {@link #of}): gives it {@code model}'s optimiser state and
     * iteration and epoch counts, so that training goes on where DL4J's own {@code fit} would.
     */
    public static void takeState(MultiLayerNetwork model, MultiLayerNetwork twin) {
        if (twin == model) {
            return;
        }
        Updater from = model.getUpdater(false);
        if (from != null && from.getStateViewArray() != null) {
            copyInto(twin.getUpdater(true), from.getStateViewArray());
        }
        twin.setIterationCount(model.getIterationCount());
        twin.setEpochCount(model.getEpochCount());
    }

    /** After training {@code twin}: hands its optimiser state and counts back to {@code model}. */
    public static void giveState(MultiLayerNetwork twin, MultiLayerNetwork model) {
        if (twin == model) {
            return;
        }
        Updater from = twin.getUpdater(false);
        if (from != null && from.getStateViewArray() != null) {
            copyInto(model.getUpdater(true), from.getStateViewArray());
        }
        model.setIterationCount(twin.getIterationCount());
        model.setEpochCount(twin.getEpochCount());
    }

    private static void copyInto(Updater to, INDArray state) {
        if (to instanceof BaseMultiLayerUpdater<?> u && u.getStateViewArray() != null) {
            u.setStateViewArray(state);
        }
    }

    /** The faster replacement of {@code layer}, or null if it has none (wrappers are changed in place). */
    static Layer faster(Layer layer) {
        if (layer == null) {
            return null;
        }
        if (layer.getClass() == LSTM.class) {
            return ConfigCopy.into(layer, new FastLSTM());
        }
        if (layer.getClass() == SimpleRnn.class) {
            return ConfigCopy.into(layer, new FastSimpleRnn());
        }
        if (layer.getClass() == EmbeddingSequenceLayer.class) {
            return ConfigCopy.into(layer, new FastEmbedding());
        }
        if (layer.getClass() == DropoutLayer.class && layer.getIDropout() instanceof SpatialDropout) {
            return ConfigCopy.into(layer, new FastSpatialDropout());
        }
        if (layer instanceof Bidirectional bi) {
            Layer f = faster(bi.getFwd());
            Layer b = faster(bi.getBwd());
            if (f != null) {
                bi.setFwd(f);
            }
            if (b != null) {
                bi.setBwd(b);
            }
            return f != null || b != null ? bi : null;
        }
        if (layer instanceof BaseWrapperLayer wrapper) {
            Layer inner = faster(wrapper.getUnderlying());
            if (inner != null) {
                wrapper.setUnderlying(inner);
                return wrapper;
            }
        }
        return null;
    }
}
