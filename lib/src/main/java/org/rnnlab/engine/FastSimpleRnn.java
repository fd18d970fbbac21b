package org.rnnlab.engine;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@code SimpleRnn} with this library's faster time loop ({@link FastSimpleRnnLayer}): the
 * same configuration class underneath (a {@code SimpleRnn} to every check, summary and initialiser),
 * the same parameters, equations and outputs. Its activation defaults to tanh, as in Keras.
 *
 * <p>Learners do not write it: they write DL4J's {@code SimpleRnn}, and {@link FastNetwork} puts this class in its place when the network is trained or run.
 */
public class FastSimpleRnn extends SimpleRnn {

    /** For deserialisation. */
    protected FastSimpleRnn() {
        super(new SimpleRnn.Builder());
    }

    private FastSimpleRnn(Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        return LayerWiring.wire(
                new FastSimpleRnnLayer(conf, networkDataType),
                this,
                conf,
                listeners,
                layerIndex,
                layerParamsView,
                initializeParams);
    }

    /** Builds a {@link FastSimpleRnn}; takes everything DL4J's {@code SimpleRnn.Builder} takes. */
    public static class Builder extends SimpleRnn.Builder {

        /** A builder with Keras' activation, tanh. */
        public Builder() {
            this.activationFn = new ActivationTanH();
        }

        @Override
        @SuppressWarnings("unchecked")
        public FastSimpleRnn build() {
            return new FastSimpleRnn(this);
        }
    }
}
