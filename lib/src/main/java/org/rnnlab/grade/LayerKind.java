package org.rnnlab.grade;

/**
 * The kinds of layer the exercises use, with the name a learner knows from Keras, DL4J's own class, and the
 * class the notebooks write (DL4J's own, except for the GRU, which DL4J lacks and this library provides).
 */
public enum LayerKind {
    EMBEDDING("Embedding", "EmbeddingSequenceLayer", "EmbeddingSequenceLayer"),
    SPATIAL_DROPOUT(
            "SpatialDropout1D",
            "DropoutLayer with new SpatialDropout(keep)",
            "DropoutLayer with new SpatialDropout(keep)"),
    DROPOUT("Dropout", "DropoutLayer(keep)", "DropoutLayer(keep)"),
    SIMPLE_RNN("SimpleRnn", "SimpleRnn", "SimpleRnn"),
    LSTM("LSTM", "LSTM", "LSTM"),
    GRU("GRU", "org.rnnlab.layers.GRU", "GRU"),
    DENSE("Dense", "DenseLayer", "DenseLayer"),
    OUTPUT("Dense output", "OutputLayer", "OutputLayer"),
    OTHER("other", "", "");

    private final String keras;
    private final String dl4j;
    private final String course;

    LayerKind(String keras, String dl4j, String course) {
        this.keras = keras;
        this.dl4j = dl4j;
        this.course = course;
    }

    /** The Keras name, e.g. {@code SimpleRnn}. */
    public String keras() {
        return keras;
    }

    /** The DL4J class (and how to set it up) that builds this kind. */
    public String dl4j() {
        return dl4j;
    }

    /** The class the notebooks build this kind with, as a learner types it (e.g. {@code LSTM}, {@code GRU}). */
    public String course() {
        return course;
    }

    /** Whether this kind reads a sequence step by step. */
    public boolean recurrent() {
        return this == SIMPLE_RNN || this == LSTM || this == GRU;
    }

    /** Whether this kind drops values during training. */
    public boolean dropout() {
        return this == DROPOUT || this == SPATIAL_DROPOUT;
    }

    /** "a SimpleRnn", "an LSTM", "an Embedding": the name with its article. */
    public String withArticle() {
        return ("AEIOU".indexOf(keras.charAt(0)) >= 0 || keras.startsWith("LSTM") ? "an " : "a ") + keras;
    }
}
