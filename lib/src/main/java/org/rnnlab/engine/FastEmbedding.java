package org.rnnlab.engine;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@code EmbeddingSequenceLayer} with a faster backward pass ({@link FastEmbeddingLayer}): the
 * same configuration class underneath (an {@code EmbeddingSequenceLayer} to every check and summary),
 * the same parameters and outputs; only the gradient's scatter-add over the batch's word indices
 * runs as one loop instead of ND4J's row-by-row scatter.
 *
 * <p>Learners do not write it: they write DL4J's {@code EmbeddingSequenceLayer}, and {@link FastNetwork} puts this class in its place when the network is trained or run.
 */
public class FastEmbedding extends EmbeddingSequenceLayer {

    /** For deserialisation and {@link Builder}. */
    public FastEmbedding() {}

    @Override
    public Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        return LayerWiring.wire(
                new FastEmbeddingLayer(conf, networkDataType),
                this,
                conf,
                listeners,
                layerIndex,
                layerParamsView,
                initializeParams);
    }

    /** Builds a {@link FastEmbedding}; takes everything DL4J's {@code EmbeddingSequenceLayer.Builder} takes. */
    public static class Builder extends EmbeddingSequenceLayer.Builder {

        @Override
        @SuppressWarnings("unchecked")
        public FastEmbedding build() {
            return ConfigCopy.into(super.build(), new FastEmbedding());
        }
    }
}
