package org.rnnlab.grade;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.RmsProp;
import org.rnnlab.layers.BidirectionalLastStep;
import org.rnnlab.layers.GRU;
import org.rnnlab.layers.Orthogonal;

/**
 * Builds a sentiment exercise's network from its {@link ExerciseSpec} the way the solution notebooks
 * build it (Keras' initialisers and RMSprop settings, DL4J keep-probabilities, {@code nIn} on every
 * layer), for code that needs the exercise's model without running its notebook. The graded build of the
 * library refuses: these networks are the solutions.
 */
public final class ReferenceModels {

    /** Tokens per review in the sentiment exercises. */
    public static final int MAX_LEN = Exercises.MAX_LEN;

    private ReferenceModels() {}

    /** The initialised network of sentiment exercise {@code id} ("6.01" … "6.05"), seeded with {@code seed}. */
    public static MultiLayerNetwork build(String id, long seed) {
        if (Solutions.graded()) {
            throw new IllegalStateException(
                    "The exercises' reference networks are not part of the graded build of the course "
                            + "library (they are the solutions). Run the exercise notebooks themselves, or use the practice build.");
        }
        ExerciseSpec spec = Grader.exercise(id);
        var list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new RmsProp(spec.learningRate(), spec.rho(), spec.epsilon()))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list();
        for (LayerSpec l : spec.layers()) {
            list.layer(layer(spec, l));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static Layer layer(ExerciseSpec spec, LayerSpec l) {
        return switch (l.kind()) {
            case EMBEDDING ->
                new EmbeddingSequenceLayer.Builder()
                        .nIn(l.nIn())
                        .nOut(l.nOut())
                        .inputLength(MAX_LEN)
                        .weightInit(new UniformDistribution(-0.05, 0.05))
                        .build();
            case SPATIAL_DROPOUT ->
                new DropoutLayer.Builder()
                        .dropOut(new SpatialDropout(1 - l.rate()))
                        .build();
            case DROPOUT -> new DropoutLayer(1 - l.rate());
            case OUTPUT ->
                new OutputLayer.Builder(spec.loss())
                        .nIn(l.nIn())
                        .nOut(l.nOut())
                        .activation(l.activation())
                        .build();
            case SIMPLE_RNN, LSTM, GRU -> wrapped(l, recurrent(l));
            default -> throw new IllegalArgumentException(spec.id() + ": no reference layer for " + l.describe());
        };
    }

    private static Layer recurrent(LayerSpec l) {
        return switch (l.kind()) {
            case SIMPLE_RNN ->
                new SimpleRnn.Builder()
                        .nIn(l.nIn())
                        .nOut(l.nOut())
                        .activation(Activation.TANH)
                        .weightInitRecurrent(new Orthogonal())
                        .build();
            case LSTM ->
                new LSTM.Builder()
                        .nIn(l.nIn())
                        .nOut(l.nOut())
                        .activation(Activation.TANH)
                        .weightInitRecurrent(new Orthogonal())
                        .build();
            default ->
                new GRU.Builder()
                        .nIn(l.nIn())
                        .nOut(l.nOut())
                        .resetAfter(Boolean.TRUE.equals(l.resetAfter()))
                        .build();
        };
    }

    private static Layer wrapped(LayerSpec l, Layer recurrent) {
        return switch (l.form()) {
            case LAST_STEP -> new LastTimeStep(recurrent);
            case BIDIRECTIONAL -> new BidirectionalLastStep(recurrent);
            default -> recurrent;
        };
    }
}
