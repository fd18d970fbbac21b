package org.rnnlab.grade;

import org.nd4j.linalg.activations.Activation;

/**
 * One layer an exercise asks for, in the exercise's own (Keras) terms: its kind, inputs and units,
 * activation, dropout rate (the probability of dropping, as Keras writes it), and what a recurrent
 * layer hands on. The checks compare a learner's DL4J layers against a list of these.
 */
public record LayerSpec(
        LayerKind kind, long nIn, long nOut, Activation activation, double rate, Form form, Boolean resetAfter) {

    /** Keras {@code Embedding(vocabulary, dimensions)}. */
    public static LayerSpec embedding(long vocabulary, long dimensions) {
        return new LayerSpec(LayerKind.EMBEDDING, vocabulary, dimensions, null, 0, Form.NONE, null);
    }

    /** Keras {@code SpatialDropout1D(rate)}. */
    public static LayerSpec spatialDropout(double rate) {
        return new LayerSpec(LayerKind.SPATIAL_DROPOUT, 0, 0, null, rate, Form.NONE, null);
    }

    /** Keras {@code Dropout(rate)}. */
    public static LayerSpec dropout(double rate) {
        return new LayerSpec(LayerKind.DROPOUT, 0, 0, null, rate, Form.NONE, null);
    }

    /** Keras {@code SimpleRNN(units, return_sequences=True)} on {@code nIn} features; see {@link #lastStep()}. */
    public static LayerSpec simpleRnn(long nIn, long units) {
        return new LayerSpec(LayerKind.SIMPLE_RNN, nIn, units, Activation.TANH, 0, Form.SEQUENCE, null);
    }

    /** Keras {@code LSTM(units, return_sequences=True)} on {@code nIn} features. */
    public static LayerSpec lstm(long nIn, long units) {
        return new LayerSpec(LayerKind.LSTM, nIn, units, Activation.TANH, 0, Form.SEQUENCE, null);
    }

    /** Keras {@code GRU(units, return_sequences=True, reset_after=resetAfter)} on {@code nIn} features (resetAfter null: either). */
    public static LayerSpec gru(long nIn, long units, Boolean resetAfter) {
        return new LayerSpec(LayerKind.GRU, nIn, units, Activation.TANH, 0, Form.SEQUENCE, resetAfter);
    }

    /** Keras {@code Dense(units, activation)} as the network's output layer. */
    public static LayerSpec output(long nIn, long units, Activation activation) {
        return new LayerSpec(LayerKind.OUTPUT, nIn, units, activation, 0, Form.NONE, null);
    }

    /** This recurrent layer handing on only its last state (Keras' default {@code return_sequences=False}). */
    public LayerSpec lastStep() {
        return withForm(Form.LAST_STEP);
    }

    /** This recurrent layer in Keras' {@code Bidirectional} wrapper (final states of both directions, concatenated). */
    public LayerSpec bidirectional() {
        return withForm(Form.BIDIRECTIONAL);
    }

    private LayerSpec withForm(Form f) {
        return new LayerSpec(kind, nIn, nOut, activation, rate, f, resetAfter);
    }

    /** Units handed on to the next layer: twice the units for the concatenated bidirectional forms. */
    public long outputSize() {
        return form == Form.BIDIRECTIONAL || form == Form.BIDIRECTIONAL_SEQUENCE ? 2 * nOut : nOut;
    }

    /** Trainable parameters, by the formulas the notebooks derive. */
    public long params() {
        long n = nOut;
        long p = switch (kind) {
            case EMBEDDING -> nIn * nOut;
            case SIMPLE_RNN -> n * (nIn + n + 1);
            case LSTM -> 4 * n * (nIn + n + 1);
            case GRU -> 3 * n * (nIn + n + 1) + (Boolean.TRUE.equals(resetAfter) ? 3 * n : 0);
            case DENSE, OUTPUT -> (nIn + 1) * nOut;
            default -> 0;
        };
        return form == Form.BIDIRECTIONAL || form == Form.BIDIRECTIONAL_SEQUENCE ? 2 * p : p;
    }

    /** How a hint names this layer, e.g. {@code SimpleRnn(32), last state only} or {@code Dropout(0.4)}. */
    public String describe() {
        return switch (kind) {
            case EMBEDDING -> "Embedding(" + nIn + " → " + nOut + ")";
            case DROPOUT, SPATIAL_DROPOUT -> kind.keras() + "(" + rate + ")";
            case OUTPUT -> "Dense(" + nOut + ", " + activation.name().toLowerCase() + ") output";
            default -> {
                String base = kind.keras() + "(" + nOut + ")";
                yield form == Form.BIDIRECTIONAL ? "Bidirectional(" + base + ")" : base;
            }
        };
    }
}
