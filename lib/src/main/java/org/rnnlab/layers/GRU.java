package org.rnnlab.layers;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rnnlab.engine.GRULayer;
import org.rnnlab.engine.GRUParamInitializer;
import org.rnnlab.engine.LayerWiring;

/**
 * A gated recurrent unit (Cho et al., 2014) with Keras' equations, which DL4J 1.0.0-M2.1 lacks.
 * Use it like DL4J's {@code LSTM}: {@code new GRU.Builder().nIn(32).nOut(32).build()}, also inside
 * {@code LastTimeStep}, {@code Bidirectional} or {@link BidirectionalLastStep}.
 *
 * <p>With update gate z, reset gate r, candidate ĥ, input x_t and previous state h_{t-1}
 * (σ the gate activation, sigmoid by default; tanh the activation):
 * <pre>
 *   z  = σ(x_t W_z + h_{t-1} U_z + b_z)
 *   r  = σ(x_t W_r + h_{t-1} U_r + b_r)
 *   ĥ  = tanh(x_t W_h + (r ⊙ h_{t-1}) U_h + b_h)              resetAfter = false (Keras' reset_after=False)
 *   ĥ  = tanh(x_t W_h + b_h + r ⊙ (h_{t-1} U_h + c_h))          resetAfter = true  (Keras 2 default, cuDNN, PyTorch)
 *   h_t = z ⊙ h_{t-1} + (1 − z) ⊙ ĥ
 * </pre>
 * With {@code resetAfter} every gate also has a recurrent bias c (Keras' second bias row).
 *
 * <p>Parameters, Keras' layout with the gates in the order z, r, h along the columns:
 * {@code W} [nIn, 3·nOut], {@code RW} [nOut, 3·nOut], {@code b} [1, 3·nOut] (resetAfter: [1, 6·nOut],
 * input biases then recurrent biases). 32 units on 32 inputs: 6,240 parameters, 6,336 with resetAfter.
 *
 * <p>Initialisation, as Keras does it: {@code W} by the layer's weight init (use
 * {@code WeightInit.XAVIER_UNIFORM} for Keras' glorot_uniform; the fans are nIn and 3·nOut as in
 * Keras), {@code RW} orthogonal unless {@code weightInitRecurrent} is set, biases 0 (or biasInit).
 *
 * <p>Masks: a masked step leaves the state unchanged and outputs zeros.
 */
public class GRU extends BaseRecurrentLayer {

    private boolean resetAfter;
    private IActivation gateActivationFn = new ActivationSigmoid();

    /** For deserialisation. */
    protected GRU() {}

    private GRU(Builder builder) {
        super(builder);
        this.resetAfter = builder.resetAfter;
        this.gateActivationFn = builder.gateActivationFn;
    }

    @Override
    public Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        LayerValidation.assertNInNOutSet("GRU", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(
                new GRULayer(conf, networkDataType),
                this,
                conf,
                listeners,
                layerIndex,
                layerParamsView,
                initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return GRUParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return null;
    }

    /** Whether the reset gate is applied after the recurrent matrix product (Keras' {@code reset_after}). */
    public boolean isResetAfter() {
        return resetAfter;
    }

    /** For deserialisation. */
    public void setResetAfter(boolean resetAfter) {
        this.resetAfter = resetAfter;
    }

    /** The activation of the update and reset gates (sigmoid by default, Keras' {@code recurrent_activation}). */
    public IActivation getGateActivationFn() {
        return gateActivationFn;
    }

    /** For deserialisation. */
    public void setGateActivationFn(IActivation gateActivationFn) {
        this.gateActivationFn = gateActivationFn;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GRU g
                && super.equals(o)
                && g.resetAfter == resetAfter
                && java.util.Objects.equals(g.gateActivationFn, gateActivationFn);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(super.hashCode(), resetAfter, gateActivationFn);
    }

    @Override
    public String toString() {
        return "GRU(nIn=" + getNIn() + ", nOut=" + getNOut() + ", resetAfter=" + resetAfter + ")";
    }

    /** Builds a {@link GRU}: tanh activation, sigmoid gates, {@code resetAfter} false unless set. */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {

        private boolean resetAfter;
        private IActivation gateActivationFn = new ActivationSigmoid();

        /** A builder with Keras' activations: tanh for the candidate, sigmoid for the gates. */
        public Builder() {
            this.activationFn = new ActivationTanH();
        }

        /** Keras' {@code reset_after}: false (one bias, the exercise's setting) or true (separate recurrent bias). */
        public Builder resetAfter(boolean resetAfter) {
            this.resetAfter = resetAfter;
            return this;
        }

        /** The activation of the update and reset gates. */
        public Builder gateActivationFunction(Activation activation) {
            this.gateActivationFn = activation.getActivationFunction();
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public GRU build() {
            return new GRU(this);
        }
    }
}
