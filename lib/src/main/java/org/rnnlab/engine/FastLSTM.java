package org.rnnlab.engine;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@code LSTM} with this library's faster time loop ({@link FastLSTMLayer}): the same
 * configuration class underneath (so it is an {@code LSTM} to every check, summary and initialiser),
 * the same parameters in the same layout (gate blocks g, f, o, i), the same equations and outputs.
 * Unlike DL4J's builder, its activation defaults to tanh, as in Keras.
 *
 * <p>Learners do not write it: they write DL4J's {@code LSTM}, and {@link FastNetwork} puts this class in its place when the network is trained or run.
 */
public class FastLSTM extends LSTM {

    /** For deserialisation and {@link Builder}. */
    public FastLSTM() {}

    @Override
    public Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        return LayerWiring.wire(
                new FastLSTMLayer(conf, networkDataType),
                this,
                conf,
                listeners,
                layerIndex,
                layerParamsView,
                initializeParams);
    }

    @Override
    public String toString() {
        return "Fast" + super.toString();
    }

    /** Builds a {@link FastLSTM}; takes everything DL4J's {@code LSTM.Builder} takes. */
    public static class Builder extends LSTM.Builder {

        /** A builder with Keras' activation, tanh (DL4J's own builder leaves it to the network's default). */
        public Builder() {
            this.activationFn = new ActivationTanH();
        }

        @Override
        @SuppressWarnings("unchecked")
        public FastLSTM build() {
            return ConfigCopy.into(super.build(), new FastLSTM());
        }
    }
}
