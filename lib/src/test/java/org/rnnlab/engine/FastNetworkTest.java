package org.rnnlab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnlab.Mode;
import org.rnnlab.data.SequenceDataset;
import org.rnnlab.layers.BidirectionalLastStep;
import org.rnnlab.layers.Orthogonal;
import org.rnnlab.train.Predictor;
import org.rnnlab.train.Trainer;

/** A network written with DL4J's classes trains and predicts on the faster layers, and keeps every update. */
class FastNetworkTest {

    private static final int VOCAB = 20;
    private static final int LENGTH = 12;

    /** Embedding → LSTM (full sequence) → last step of a SimpleRnn or a bidirectional LSTM → sigmoid, all float. */
    private static MultiLayerNetwork network(boolean fastClasses, boolean bidirectional) {
        Layer embedding = new EmbeddingSequenceLayer.Builder()
                .nIn(VOCAB)
                .nOut(8)
                .inputLength(LENGTH)
                .weightInit(new UniformDistribution(-0.05, 0.05))
                .build();
        Layer lstm = new LSTM.Builder()
                .nIn(8)
                .nOut(6)
                .activation(Activation.TANH)
                .weightInitRecurrent(new Orthogonal())
                .build();
        Layer top = bidirectional
                ? new BidirectionalLastStep(new LSTM.Builder()
                        .nIn(6)
                        .nOut(5)
                        .activation(Activation.TANH)
                        .build())
                : new LastTimeStep(new SimpleRnn.Builder()
                        .nIn(6)
                        .nOut(5)
                        .activation(Activation.TANH)
                        .build());
        if (fastClasses) {
            embedding = FastNetwork.faster(embedding);
            lstm = FastNetwork.faster(lstm);
            top = FastNetwork.faster(top);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.FLOAT)
                .updater(new RmsProp(0.01, 0.9, 1e-7))
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list()
                .layer(embedding)
                .layer(lstm)
                .layer(top)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                        .nIn(bidirectional ? 10 : 5)
                        .nOut(1)
                        .activation(Activation.SIGMOID)
                        .build())
                .build());
        net.init();
        return net;
    }

    private static SequenceDataset reviews(int n) {
        Random r = new Random(3);
        int[][] x = new int[n][LENGTH];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int t = 0; t < LENGTH; t++) {
                x[i][t] = 3 + r.nextInt(VOCAB - 3);
            }
            x[i][5] = y[i] == 1 ? 1 : 2;
        }
        return SequenceDataset.of(x, y);
    }

    private static Trainer trainer(MultiLayerNetwork net) {
        return Trainer.of(net)
                .epochs(2)
                .batchSize(16)
                .mode(Mode.FULL)
                .runSeed(null)
                .shuffleSeed(5L)
                .verbose(0)
                .output(new PrintStream(OutputStream.nullOutputStream()));
    }

    @Test
    void swapsDl4jsLayersForTheFasterOnesOnTheSameParameters() {
        MultiLayerNetwork model = network(false, false);
        MultiLayerNetwork twin = FastNetwork.of(model);
        assertNotSame(model, twin);
        List<Class<?>> kinds = twin.getLayerWiseConfigurations().getConfs().stream()
                .map(c -> c.getLayer() instanceof LastTimeStep w
                        ? w.getUnderlying().getClass()
                        : c.getLayer().getClass())
                .<Class<?>>map(c -> c)
                .toList();
        assertEquals(List.of(FastEmbedding.class, FastLSTM.class, FastSimpleRnn.class, OutputLayer.class), kinds);
        assertEquals(
                LSTM.class,
                model.getLayerWiseConfigurations().getConf(1).getLayer().getClass(),
                "the learner's configuration is left as written");
        twin.params().muli(0.5);
        assertEquals(model.params(), twin.params(), "one parameter array, not a copy");
        assertSame(twin, FastNetwork.of(twin), "a network of faster layers is run as it is");
    }

    @Test
    void findsTheLayersInsideBothWrappers() {
        MultiLayerNetwork twin = FastNetwork.of(network(false, true));
        Bidirectional bi = (Bidirectional) ((BidirectionalLastStep)
                        twin.getLayerWiseConfigurations().getConf(2).getLayer())
                .getUnderlying();
        assertEquals(FastLSTM.class, bi.getFwd().getClass());
        assertEquals(FastLSTM.class, bi.getBwd().getClass());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void trainingTheLearnersNetworkIsTrainingTheFasterOne(boolean bidirectional) {
        MultiLayerNetwork learner = network(false, bidirectional);
        MultiLayerNetwork fast = network(true, bidirectional);
        assertEquals(fast.params(), learner.params(), "the same seed draws the same weights");
        SequenceDataset data = reviews(64);
        trainer(learner).fit(data);
        trainer(fast).fit(data);
        // To float precision, as the other parity tests: the Vector API's exp differs in its last bit between
        // interpreted and compiled code, so two runs of the same loops agree only as far as the JIT's timing lets them.
        assertArrayEquals(
                fast.params().toFloatVector(),
                learner.params().toFloatVector(),
                1e-5f,
                "the learner's model holds the weights the faster layers computed");
        // A second run with a new trainer goes on with the optimiser's state, as DL4J's own fit would.
        trainer(learner).fit(data);
        trainer(fast).fit(data);
        assertArrayEquals(fast.params().toFloatVector(), learner.params().toFloatVector(), 1e-5f);
        assertEquals(fast.getIterationCount(), learner.getIterationCount());
        assertEquals(16, learner.getIterationCount());
    }

    @Test
    void predictionsAreDl4jsOwnToFloatPrecision() {
        MultiLayerNetwork learner = network(false, true);
        trainer(learner).fit(reviews(64));
        SequenceDataset data = reviews(40);
        INDArray dl4j = learner.output(
                data.featuresOf(java.util.stream.IntStream.range(0, 40).toArray()), false);
        float[] ours = Predictor.predict(learner, data);
        float[] theirs = Predictor.floats(dl4j);
        assertArrayEquals(theirs, ours, 1e-5f);
        assertTrue(java.util.Arrays.stream(new double[] {ours[0], ours[1]}).allMatch(p -> p > 0 && p < 1));
    }
}
