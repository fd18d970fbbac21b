/**
 * The layers learners write that DL4J lacks: {@link org.rnnlab.layers.GRU} (Keras' GRU),
 * {@link org.rnnlab.layers.BidirectionalLastStep} (Keras' {@code Bidirectional} of a last-step layer) and the
 * {@link org.rnnlab.layers.Orthogonal} initialiser. Their fast implementations live in {@code org.rnnlab.engine}.
 */
package org.rnnlab.layers;
