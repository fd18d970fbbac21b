package org.rnnlab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Spatial dropout on the engine's step-by-step sequences drops the features DL4J's own layer drops (the same
 * random numbers, drawn the same way) and gives DL4J's outputs, loss and gradients, whatever layout the layers
 * around it pass.
 */
class FastSpatialDropoutTest {

    private static final int WORDS = 9;
    private static final int WIDTH = 4;
    private static final int LENGTH = 7;

    /**
     * Embedding → spatial dropout (keep half) → last step of an LSTM → sigmoid, in float: DL4J's layers, or the
     * engine's for those named in {@code fast} ("E" embedding, "D" dropout, "L" LSTM).
     */
    private static MultiLayerNetwork network(String fast) {
        Layer embedding = new EmbeddingSequenceLayer.Builder()
                .nIn(WORDS)
                .nOut(WIDTH)
                .inputLength(LENGTH)
                .build();
        Layer dropout =
                new DropoutLayer.Builder().dropOut(new SpatialDropout(0.5)).build();
        Layer lstm = new LastTimeStep(new LSTM.Builder()
                .nIn(WIDTH)
                .nOut(5)
                .activation(Activation.TANH)
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(11)
                .dataType(DataType.FLOAT)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list()
                .layer(fast.contains("E") ? FastNetwork.faster(embedding) : embedding)
                .layer(fast.contains("D") ? FastNetwork.faster(dropout) : dropout)
                .layer(fast.contains("L") ? FastNetwork.faster(lstm) : lstm)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .nIn(5)
                        .nOut(1)
                        .activation(Activation.SIGMOID)
                        .build())
                .build());
        net.init();
        return net;
    }

    private static INDArray words(int batch) {
        java.util.Random r = new java.util.Random(5);
        float[][] x = new float[batch][LENGTH];
        for (float[] row : x) {
            for (int t = 0; t < LENGTH; t++) {
                row[t] = r.nextInt(WORDS);
            }
        }
        return Nd4j.create(x);
    }

    /** Score and gradient of one training pass, the random generator seeded first (the dropout masks). */
    private static INDArray gradient(MultiLayerNetwork net, INDArray x, INDArray y, double[] score) {
        Nd4j.getRandom().setSeed(99);
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        score[0] = net.score();
        return net.gradient().gradient().dup();
    }

    private static int fastPasses(MultiLayerNetwork net) {
        return net.getLayer(1) instanceof FastSpatialDropoutLayer d ? d.fastPasses : 0;
    }

    @ParameterizedTest(name = "{0} engine layers, batch {1}")
    @CsvSource({"ED, 6", "EDL, 6", "EDL, 1", "D, 6"})
    void dropsWhatDl4jDropsAndBackpropsTheSame(String fast, int batch) {
        MultiLayerNetwork dl4j = network("");
        MultiLayerNetwork ours = network(fast);
        ours.setParams(dl4j.params());
        INDArray x = words(batch);
        INDArray y = Nd4j.rand(DataType.FLOAT, batch, 1).gt(0.5).castTo(DataType.FLOAT);
        double[] expectedScore = new double[1];
        double[] score = new double[1];
        INDArray expected = gradient(dl4j, x, y, expectedScore);
        INDArray actual = gradient(ours, x, y, score);
        assertEquals(expectedScore[0], score[0], 1e-5, "loss");
        assertArrayEquals(expected.toFloatVector(), actual.toFloatVector(), 2e-5f, "gradient");
        // The step-by-step path runs where the embedding before it is the engine's; DL4J's layout goes to DL4J.
        assertEquals(fast.contains("E") ? 1 : 0, fastPasses(ours), "passes on the step-by-step path");

        // Dropout did drop something: without it the gradient is another one.
        MultiLayerNetwork kept = network(fast);
        kept.setParams(dl4j.params());
        kept.getLayerWiseConfigurations().getConf(1).getLayer().setIDropout(null);
        double change =
                gradient(kept, x, y, new double[1]).sub(actual).amaxNumber().doubleValue();
        assertTrue(change > 1e-3, "the gradient without dropout differs by only " + change);
    }

    @Test
    void predictsWithoutDroppingAndTheLearnersConfigurationIsKept() {
        DropoutLayer written =
                new DropoutLayer.Builder().dropOut(new SpatialDropout(0.5)).build();
        Layer swapped = FastNetwork.faster(written.clone());
        assertEquals(FastSpatialDropout.class, swapped.getClass());
        assertTrue(swapped instanceof DropoutLayer, "a DropoutLayer to every check and summary");
        assertEquals(written.getIDropout(), swapped.getIDropout());
        assertEquals(null, FastNetwork.faster(new DropoutLayer(0.5)), "plain dropout stays DL4J's");
        MultiLayerNetwork dl4j = network("");
        MultiLayerNetwork ours = network("EDL");
        ours.setParams(dl4j.params());
        INDArray x = words(6);
        assertArrayEquals(
                dl4j.output(x, false).toFloatVector(), ours.output(x, false).toFloatVector(), 1e-5f);
        assertEquals(0, fastPasses(ours), "inference leaves the sequence as it is");
    }
}
