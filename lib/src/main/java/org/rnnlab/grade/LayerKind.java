package org.rnnlab.grade;

/** The kinds of layer the exercises use, with the name a learner knows from Keras and the DL4J class to use. */
public enum LayerKind {
    EMBEDDING("Embedding", "EmbeddingSequenceLayer"),
    SPATIAL_DROPOUT("SpatialDropout1D", "DropoutLayer with new SpatialDropout(keep)"),
    DROPOUT("Dropout", "DropoutLayer(keep)"),
    SIMPLE_RNN("SimpleRnn", "SimpleRnn"),
    LSTM("LSTM", "LSTM"),
    GRU("GRU", "org.rnnlab.layers.GRU"),
    DENSE("Dense", "DenseLayer"),
    OUTPUT("Dense output", "OutputLayer"),
    OTHER("other", "");

    private final String keras;
    private final String dl4j;

    LayerKind(String keras, String dl4j) {
        this.keras = keras;
        this.dl4j = dl4j;
    }

    /** The Keras name, e.g. {@code SimpleRnn}. */
    public String keras() {
        return keras;
    }

    /** The DL4J class (and how to set it up) that builds this kind. */
    public String dl4j() {
        return dl4j;
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
