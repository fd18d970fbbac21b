package org.rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.rnnlab.Mode;
import org.rnnlab.data.SequenceDataset;
import org.rnnlab.layers.GRU;
import org.rnnlab.layers.Orthogonal;

class ReseedTest {

    private static MultiLayerNetwork lstmNet(long confSeed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(confSeed)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .dataType(DataType.DOUBLE)
                .list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(20).nOut(8).build())
                .layer(new LastTimeStep(new LSTM.Builder()
                        .nIn(8)
                        .nOut(8)
                        .activation(Activation.TANH)
                        .weightInitRecurrent(new Orthogonal())
                        .build()))
                .layer(new OutputLayer.Builder(LossFunction.XENT)
                        .nIn(8)
                        .nOut(1)
                        .activation(Activation.SIGMOID)
                        .build())
                .build());
        net.init();
        return net;
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
        MultiLayerNetwork a = lstmNet(1);
        MultiLayerNetwork b = lstmNet(2);
        assertNotEquals(a.params(), b.params());
        Reseed.apply(a, 43);
        Reseed.apply(b, 43);
        assertEquals(a.params(), b.params());
        INDArray at43 = a.params().dup();
        Reseed.apply(a, 44);
        assertNotEquals(at43, a.params());
    }

    @Test
    void weightsKeepTheirInitialisersDistributions() {
        MultiLayerNetwork net = lstmNet(1);
        Reseed.apply(net, 7);
        INDArray rw = net.getParam("1_RW"); // [8, 32]: four orthogonal 8 x 8 blocks side by side
        INDArray gram = rw.transpose().mmul(rw);
        // Keras' orthogonal initialiser on an 8 x 32 matrix: orthonormal rows.
        INDArray rowsGram = rw.mmul(rw.transpose());
        assertTrue(rowsGram.sub(Nd4j.eye(8)).amaxNumber().doubleValue() < 1e-10, rowsGram.toString());
        assertEquals(32, gram.rows());
        INDArray forgetBias = net.getParam("1_b").get(NDArrayIndex.all(), NDArrayIndex.interval(8, 16));
        assertEquals(8.0, forgetBias.sumNumber().doubleValue(), 1e-12, "the forget-gate bias stays 1");
        // The input weights are drawn from the same distribution as a fresh build's (same spread).
        INDArray w = net.getParam("1_W");
        double fresh = lstmNet(5).getParam("1_W").stdNumber().doubleValue();
        double reseeded = w.stdNumber().doubleValue();
        assertTrue(Math.abs(reseeded / fresh - 1) < 0.25, "std " + reseeded + " against a fresh build's " + fresh);
        assertTrue(w.amaxNumber().doubleValue()
                <= lstmNet(6).getParam("1_W").amaxNumber().doubleValue() * 1.2);
    }

    @Test
    void gruAndBidirectionalLayersAreReseededToo() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list()
                .layer(new LastTimeStep(new GRU.Builder().nIn(4).nOut(5).build()))
                .layer(new OutputLayer.Builder(LossFunction.MSE)
                        .nIn(5)
                        .nOut(1)
                        .activation(Activation.IDENTITY)
                        .build())
                .build());
        net.init();
        INDArray before = net.params().dup();
        Reseed.apply(net, 99);
        assertNotEquals(before, net.params());
        assertEquals(0.0, net.getParam("0_b").amaxNumber().doubleValue(), 0, "biases stay zero");
    }

    @Test
    void aTrainerWithARunSeedTrainsTheSameFromAnyBuildSeed() {
        int[][] x = new int[64][6];
        int[] y = new int[64];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 64; i++) {
            y[i] = i % 2;
            for (int t = 0; t < 6; t++) {
                x[i][t] = 1 + r.nextInt(19);
            }
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        History h1 = Trainer.of(lstmNet(1))
                .mode(Mode.FULL)
                .output(quiet)
                .runSeed(11L)
                .epochs(2)
                .batchSize(16)
                .fit(SequenceDataset.of(x, y));
        History h2 = Trainer.of(lstmNet(2))
                .mode(Mode.FULL)
                .output(quiet)
                .runSeed(11L)
                .epochs(2)
                .batchSize(16)
                .fit(SequenceDataset.of(x, y));
        assertEquals(h1.get("loss")[1], h2.get("loss")[1], 1e-12);
    }

    @Test
    void theEnvironmentVariableIsParsedWithAClearError() {
        assertEquals(Optional.empty(), Reseed.of(Map.of()));
        assertEquals(Optional.of(43L), Reseed.of(Map.of(Reseed.ENV, " 43 ")));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Reseed.of(Map.of(Reseed.ENV, "abc")));
        assertTrue(e.getMessage().contains("RNNLAB_SEED must be a whole number"));
        assertThrows(
                IllegalStateException.class,
                () -> Reseed.apply(
                        new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                                .list()
                                .layer(new OutputLayer.Builder(LossFunction.MSE)
                                        .nIn(1)
                                        .nOut(1)
                                        .activation(Activation.IDENTITY)
                                        .build())
                                .build()),
                        1));
    }
}
