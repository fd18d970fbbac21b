package org.rnnlab.engine;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@code DropoutLayer} holding a {@code SpatialDropout} (Keras' {@code SpatialDropout1D}), computed by
 * {@link FastSpatialDropoutLayer}: the same configuration class underneath, the same masks from the same random
 * numbers; only the multiplication by the mask is laid out for the step-by-step sequences the engine's layers pass.
 *
 * <p>Learners do not write it: they write DL4J's {@code DropoutLayer} with a {@code SpatialDropout}, and
 * {@link FastNetwork} puts this class in its place when the network is trained or run.
 */
public class FastSpatialDropout extends DropoutLayer {

    /** For deserialisation and {@link ConfigCopy}. */
    public FastSpatialDropout() {}

    @Override
    public Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        return LayerWiring.wire(
                new FastSpatialDropoutLayer(conf, networkDataType),
                this,
                conf,
                listeners,
                layerIndex,
                layerParamsView,
                initializeParams);
    }
}
