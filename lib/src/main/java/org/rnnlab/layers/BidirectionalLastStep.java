package org.rnnlab.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * Keras' {@code Bidirectional(LSTM(32))} (with {@code return_sequences=False}) for a
 * {@code MultiLayerNetwork}: the final state of a layer reading the sequence forwards (after tokens
 * 1..T) merged with the final state of a copy reading it backwards (after tokens T..1).
 *
 * <p>This differs from DL4J's {@code LastTimeStep(Bidirectional(...))}, which takes both halves at
 * step T, where the backward layer has read a single token. Here the backward half is taken at the
 * first step (the first unmasked step with a mask), where it has read the whole sequence.
 *
 * <pre>{@code
 * .layer(new BidirectionalLastStep(new LSTM.Builder().nIn(32).nOut(32).build()))          // concat: 64 outputs
 * .layer(new BidirectionalLastStep(Bidirectional.Mode.ADD, new GRU.Builder().nIn(32).nOut(32).build()))
 * .layer(new BidirectionalLastStep(Bidirectional.Mode.CONCAT, forward, backward))         // Keras' backward_layer
 * }</pre>
 * Merge modes as Keras' {@code merge_mode}: CONCAT, ADD (Keras "sum"), MUL, AVERAGE. Works with any
 * recurrent layer: DL4J's LSTM and SimpleRnn, and {@link GRU}.
 */
public class BidirectionalLastStep extends BaseWrapperLayer {

    private Bidirectional.Mode mode = Bidirectional.Mode.CONCAT;

    /** For deserialisation. */
    protected BidirectionalLastStep() {
    }

    /** Concatenates the final forward and backward states of {@code recurrent} and its copy. */
    public BidirectionalLastStep(Layer recurrent) {
        this(Bidirectional.Mode.CONCAT, recurrent);
    }

    /** Merges the final forward and backward states of {@code recurrent} and its copy with {@code mode}. */
    public BidirectionalLastStep(Bidirectional.Mode mode, Layer recurrent) {
        super(new Bidirectional(Bidirectional.Mode.CONCAT, recurrent));
        this.mode = mode;
        this.layerName = recurrent.getLayerName();
    }

    /** Uses {@code backward} for the backward direction (Keras' {@code backward_layer}); it must have as many units as {@code forward}. */
    public BidirectionalLastStep(Bidirectional.Mode mode, Layer forward, Layer backward) {
        this(mode, forward);
        Bidirectional bi = (Bidirectional) underlying;
        long nf = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) forward).getNOut();
        long nb = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) backward).getNOut();
        if (nf != nb) {
            throw new IllegalArgumentException("the backward layer has " + nb + " units, the forward layer " + nf
                    + ": both directions need the same number");
        }
        bi.setBwd(backward);
    }

    /** How the two final states are merged. */
    public Bidirectional.Mode getMode() {
        return mode;
    }

    /** For deserialisation. */
    public void setMode(Bidirectional.Mode mode) {
        this.mode = mode;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        NeuralNetConfiguration inner = conf.clone();
        inner.setLayer(((BidirectionalLastStep) inner.getLayer()).getUnderlying());
        return new BidirectionalLastStepLayer(underlying.instantiate(inner, listeners, layerIndex, layerParamsView,
                initializeParams, networkDataType), mode);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType.getType() != InputType.Type.RNN) {
            throw new IllegalArgumentException("BidirectionalLastStep needs recurrent input, got " + inputType);
        }
        long both = ((InputType.InputTypeRecurrent) underlying.getOutputType(layerIndex, inputType)).getSize();
        return InputType.feedForward(mode == Bidirectional.Mode.CONCAT ? both : both / 2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BidirectionalLastStep b && b.mode == mode && java.util.Objects.equals(b.underlying, underlying);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(mode, underlying);
    }
}
