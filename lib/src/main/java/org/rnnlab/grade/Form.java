package org.rnnlab.grade;

/** What a recurrent layer hands on to the next layer, and how it is wrapped in DL4J to do so. */
public enum Form {
    /** The state at every step (Keras {@code return_sequences=True}); not wrapped. */
    SEQUENCE("passes on its whole sequence of states (not wrapped)"),
    /** Only the final state: {@code LastTimeStep(layer)}. */
    LAST_STEP("passes on its last state only (wrapped in LastTimeStep)"),
    /** Keras' {@code Bidirectional(layer)}: final forward state and final backward state, {@code BidirectionalLastStep(layer)}. */
    BIDIRECTIONAL("reads the sequence both ways and passes on both final states (BidirectionalLastStep)"),
    /** DL4J's {@code Bidirectional(layer)}: both directions at every step. */
    BIDIRECTIONAL_SEQUENCE("reads both ways and passes on every step (Bidirectional)"),
    /** {@code LastTimeStep(Bidirectional(layer))}: the backward half taken after it has read one token. */
    LAST_STEP_OF_BIDIRECTIONAL("is LastTimeStep(Bidirectional(...))"),
    /** Not a recurrent layer. */
    NONE("");

    private final String description;

    Form(String description) {
        this.description = description;
    }

    /** How a hint describes this form. */
    public String description() {
        return description;
    }
}
