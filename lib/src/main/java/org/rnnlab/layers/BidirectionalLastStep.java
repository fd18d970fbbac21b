package org.rnnlab.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rnnlab.engine.BidirectionalLastStepLayer;

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
    protected BidirectionalLastStep() {}

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
    public org.deeplearning4j.nn.api.Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        // DL4J's Bidirectional.instantiate, done here to keep hold of the two directions' layers: half the
        // parameters each, drawn in the same order as DL4J draws them.
        Bidirectional bi = (Bidirectional) underlying;
        NeuralNetConfiguration inner = conf.clone();
        inner.setLayer(bi);
        NeuralNetConfiguration fc = conf.clone();
        fc.setLayer(bi.getFwd());
        NeuralNetConfiguration bc = conf.clone();
        bc.setLayer(bi.getBwd());
        long half = layerParamsView.length() / 2;
        org.deeplearning4j.nn.api.Layer f = bi.getFwd()
                .instantiate(
                        fc, listeners, layerIndex, slice(layerParamsView, 0, half), initializeParams, networkDataType);
        org.deeplearning4j.nn.api.Layer b = bi.getBwd()
                .instantiate(
                        bc,
                        listeners,
                        layerIndex,
                        slice(layerParamsView, half, 2 * half),
                        initializeParams,
                        networkDataType);
        BidirectionalLayer both = new BidirectionalLayer(inner, f, b, layerParamsView);
        both.setParamTable(bi.initializer().init(inner, layerParamsView, initializeParams));
        both.setConf(inner);
        return new BidirectionalLastStepLayer(both, f, b, mode);
    }

    /** Elements [from, to) of a parameter vector, as a view (DL4J's views are [n] or [1, n]). */
    private static INDArray slice(INDArray params, long from, long to) {
        return params.rank() == 1 ? params.get(interval(from, to)) : params.get(point(0), interval(from, to));
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
        return o instanceof BidirectionalLastStep b
                && b.mode == mode
                && java.util.Objects.equals(b.underlying, underlying);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(mode, underlying);
    }
}
