package org.rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Random;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnlab.data.SequenceDataset;
import org.rnnlab.engine.FastNetwork;
import org.rnnlab.layers.BidirectionalLastStep;

/** Training and prediction divided between threads give what one thread gives. */
class SplitStepTest {

    private static final int VOCAB = 30;
    private static final int LENGTH = 15;

    /** Embedding → LSTM → bidirectional LSTM (last step) → sigmoid, float, Adam with L2: no dropout, so runs compare exactly. */
    private static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.FLOAT)
                .updater(new Adam(0.01))
                .l2(1e-4)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list()
                .layer(new EmbeddingSequenceLayer.Builder()
                        .nIn(VOCAB)
                        .nOut(8)
                        .inputLength(LENGTH)
                        .build())
                .layer(new LSTM.Builder()
                        .nIn(8)
                        .nOut(6)
                        .activation(Activation.TANH)
                        .build())
                .layer(new BidirectionalLastStep(new SimpleRnn.Builder()
                        .nIn(6)
                        .nOut(5)
                        .activation(Activation.TANH)
                        .build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .nIn(10)
                        .nOut(1)
                        .activation(Activation.SIGMOID)
                        .build())
                .build());
        net.init();
        return net;
    }

    private static SequenceDataset reviews(int n, long seed) {
        Random r = new Random(seed);
        int[][] x = new int[n][LENGTH];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(2);
            for (int t = 0; t < LENGTH; t++) {
                x[i][t] = 3 + r.nextInt(VOCAB - 3);
            }
            x[i][4] = y[i] == 1 ? 1 : 2;
        }
        return SequenceDataset.of(x, y);
    }

    private static DataSet batch(SequenceDataset data) {
        int[] all = IntStream.range(0, data.size()).toArray();
        return new DataSet(data.featuresOf(all), data.labelsOf(all));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void aDividedStepMakesTheUpdateOfDl4jsFit(int threads) {
        MultiLayerNetwork reference = network();
        MultiLayerNetwork divided = network();
        MultiLayerNetwork referenceNet = FastNetwork.of(reference);
        MultiLayerNetwork dividedNet = FastNetwork.of(divided);
        OutputCapture capture = new OutputCapture();
        dividedNet.addListeners(capture);
        try (SplitStep step = new SplitStep(divided, dividedNet, capture, threads)) {
            for (int i = 0; i < 4; i++) {
                DataSet b = batch(reviews(37 + i, i)); // parts of unequal size
                referenceNet.fit(b);
                SplitStep.Result r = step.fit(b);
                assertEquals(referenceNet.score(), r.score(), 1e-5, "the batch's mean loss, step " + i);
                assertNotNull(r.outputs(), "every part's outputs captured");
                assertEquals(b.numExamples(), r.outputs().length);
                assertArrayEquals(
                        referenceNet.params().toFloatVector(),
                        dividedNet.params().toFloatVector(),
                        2e-5f,
                        "parameters after step " + i);
            }
        }
        assertEquals(reference.getIterationCount(), divided.getIterationCount());
        assertEquals(4, dividedNet.getIterationCount());
        assertArrayEquals(reference.params().toFloatVector(), divided.params().toFloatVector(), 2e-5f);
    }

    @Test
    void oneThreadIsDl4jsOwnFit() {
        MultiLayerNetwork reference = network();
        MultiLayerNetwork single = network();
        OutputCapture capture = new OutputCapture();
        MultiLayerNetwork net = FastNetwork.of(single);
        net.addListeners(capture);
        DataSet b = batch(reviews(40, 1));
        try (SplitStep step = new SplitStep(single, net, capture, 1)) {
            FastNetwork.of(reference).fit(b);
            step.fit(b);
        }
        assertEquals(reference.params(), single.params());
    }

    @Test
    void predictionOnSeveralThreadsIsPredictionOnOne() {
        MultiLayerNetwork model = network();
        SequenceDataset data = reviews(3 * Predictor.BATCH + 17, 9);
        float[] one = Predictor.predict(model, data, 1);
        // To float rounding, not bit for bit: the same batch on another copy of the network can come out one
        // unit in the last place apart (OpenBLAS' results depend a little on where the operands lie in memory).
        assertArrayEquals(one, Predictor.predict(model, data, 2), 1e-6f);
        assertArrayEquals(one, Predictor.predict(model, data, 3), 1e-6f);
        assertEquals(data.size(), one.length);
    }
}
