package org.rnnlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BiFunction;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnlab.layers.BidirectionalLastStep;
import org.rnnlab.layers.GradientCheckSupport;
import org.rnnlab.layers.Orthogonal;

/** FastLSTM and FastSimpleRnn give DL4J's outputs and gradients, and pass the numerical gradient check. */
class FastLayersTest extends GradientCheckSupport {

    private static Layer cell(String kind, boolean fast, int nIn, int nOut) {
        return switch (kind) {
            case "LSTM" ->
                (fast ? new FastLSTM.Builder() : new LSTM.Builder())
                        .nIn(nIn)
                        .nOut(nOut)
                        .activation(Activation.TANH)
                        .weightInitRecurrent(new Orthogonal())
                        .build();
            default ->
                (fast ? new FastSimpleRnn.Builder() : new SimpleRnn.Builder())
                        .nIn(nIn)
                        .nOut(nOut)
                        .activation(Activation.TANH)
                        .weightInitRecurrent(new Orthogonal())
                        .build();
        };
    }

    private static NeuralNetConfiguration.ListBuilder base() {
        return new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list();
    }

    /** A sequence-output network (cell → RnnOutputLayer). */
    private static MultiLayerConfiguration sequenceNet(Layer cell) {
        return base().layer(cell)
                .layer(new RnnOutputLayer.Builder()
                        .nIn(4)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .lossFunction(LossFunctions.LossFunction.MSE)
                        .build())
                .build();
    }

    /** Builds DL4J's and the fast network with the same (perturbed) parameters. */
    private static MultiLayerNetwork[] pair(String kind, BiFunction<String, Boolean, MultiLayerConfiguration> conf) {
        MultiLayerNetwork slow = initPerturbed(new MultiLayerNetwork(conf.apply(kind, false)));
        MultiLayerNetwork fast = new MultiLayerNetwork(conf.apply(kind, true));
        fast.init(slow.params().dup(), true);
        return new MultiLayerNetwork[] {slow, fast};
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        assertEquals(
                java.util.Arrays.toString(expected.shape()),
                java.util.Arrays.toString(actual.shape()),
                what + " shape");
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff < tol, what + " differs by " + diff);
    }

    private static void assertSameAsDl4j(MultiLayerNetwork[] nets, INDArray in, INDArray labels, INDArray mask) {
        assertClose(nets[0].output(in, false, mask, null), nets[1].output(in, false, mask, null), 1e-12, "output");
        for (MultiLayerNetwork n : nets) {
            n.setInput(in);
            n.setLabels(labels);
            n.setLayerMaskArrays(mask, labels.rank() == 3 ? mask : null);
            n.computeGradientAndScore();
        }
        assertEquals(nets[0].score(), nets[1].score(), 1e-12, "loss");
        assertClose(nets[0].gradient().gradient(), nets[1].gradient().gradient(), 1e-10, "gradient");
    }

    /** Prediction reads its input in place, through its strides: every layout of the same values gives DL4J's outputs. */
    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "SimpleRnn"})
    void predictsFromInputsInAnyLayout(String kind) {
        MultiLayerNetwork[] nets = pair(kind, (k, f) -> sequenceNet(cell(k, f, 3, 4)));
        INDArray in = Nd4j.rand(DataType.DOUBLE, 5, 3, 6);
        INDArray expected = nets[0].output(in, false);
        for (INDArray layout : layouts(in)) {
            assertClose(
                    expected,
                    nets[1].output(layout, false),
                    1e-6,
                    "output for strides " + java.util.Arrays.toString(layout.stride()) + " " + layout.dataType());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "SimpleRnn"})
    void isTheSameLayerAsDl4jsToChecksAndCounts(String kind) {
        Layer fast = cell(kind, true, 3, 4);
        Class<?> dl4j = kind.equals("LSTM") ? LSTM.class : SimpleRnn.class;
        assertTrue(dl4j.isInstance(fast), fast.getClass() + " is not a " + dl4j);
        MultiLayerNetwork[] nets = pair(kind, (k, f) -> sequenceNet(cell(k, f, 3, 4)));
        assertEquals(nets[0].numParams(), nets[1].numParams());
        assertEquals(
                nets[0].getLayer(0).paramTable().keySet(),
                nets[1].getLayer(0).paramTable().keySet());
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(
                nets[1].getLayerWiseConfigurations().toJson());
        assertEquals(fast.getClass(), back.getConf(0).getLayer().getClass());
    }

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "SimpleRnn"})
    void fullSequenceMatchesDl4jAndChecksGradients(String kind) {
        MultiLayerNetwork[] nets = pair(kind, (k, f) -> sequenceNet(cell(k, f, 3, 4)));
        INDArray in = Nd4j.rand(DataType.DOUBLE, 3, 3, 6);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, 3, 2, 6);
        assertSameAsDl4j(nets, in, labels, null);
        assertGradientsOk(nets[1], in, labels, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "SimpleRnn"})
    void withAMaskItIsDl4jsOwnComputation(String kind) {
        MultiLayerNetwork[] nets = pair(kind, (k, f) -> sequenceNet(cell(k, f, 3, 4)));
        INDArray mask = Nd4j.create(new double[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {0, 0, 1, 1, 1}});
        assertSameAsDl4j(nets, Nd4j.rand(DataType.DOUBLE, 3, 3, 5), Nd4j.rand(DataType.DOUBLE, 3, 2, 5), mask);
    }

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "SimpleRnn"})
    void stackedUnderLastTimeStepMatchesDl4jAndChecksGradients(String kind) {
        MultiLayerNetwork[] nets = pair(
                kind,
                (k, f) -> base().layer(cell(k, f, 3, 4))
                        .layer(new LastTimeStep(cell(k, f, 4, 3)))
                        .layer(new OutputLayer.Builder()
                                .nIn(3)
                                .nOut(2)
                                .activation(Activation.SOFTMAX)
                                .lossFunction(LossFunctions.LossFunction.MCXENT)
                                .build())
                        .build());
        INDArray in = Nd4j.rand(DataType.DOUBLE, 3, 3, 7);
        INDArray labels = Nd4j.create(new double[][] {{1, 0}, {0, 1}, {1, 0}});
        assertSameAsDl4j(nets, in, labels, null);
        assertGradientsOk(nets[1], in, labels, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "SimpleRnn"})
    void insideBidirectionalLastStepMatchesDl4jAndChecksGradients(String kind) {
        MultiLayerNetwork[] nets = pair(
                kind,
                (k, f) -> base().layer(new BidirectionalLastStep(cell(k, f, 3, 4)))
                        .layer(new OutputLayer.Builder()
                                .nIn(8)
                                .nOut(2)
                                .activation(Activation.IDENTITY)
                                .lossFunction(LossFunctions.LossFunction.MSE)
                                .build())
                        .build());
        INDArray in = Nd4j.rand(DataType.DOUBLE, 2, 3, 5);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, 2, 2);
        assertSameAsDl4j(nets, in, labels, null);
        assertGradientsOk(nets[1], in, labels, null);
    }

    @org.junit.jupiter.api.Test
    void embeddingMatchesDl4jAndChecksGradients() {
        BiFunction<String, Boolean, MultiLayerConfiguration> conf = (k, f) -> base().layer((f
                                ? new FastEmbedding.Builder()
                                : new org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer.Builder())
                        .nIn(6)
                        .nOut(3)
                        .inputLength(5)
                        .build())
                .layer(new LastTimeStep(cell("LSTM", f, 3, 4)))
                .layer(new OutputLayer.Builder()
                        .nIn(4)
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT)
                        .build())
                .build();
        MultiLayerNetwork[] nets = pair("LSTM", conf);
        assertTrue(
                nets[1].getLayerWiseConfigurations().getConf(0).getLayer()
                        instanceof org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer);
        // Word 2 appears twice in the first review: its gradient rows add up.
        INDArray words = Nd4j.create(new double[][] {{2, 0, 2, 5, 1}, {4, 3, 1, 1, 0}, {5, 5, 2, 0, 3}});
        INDArray labels = Nd4j.create(new double[][] {{1, 0}, {0, 1}, {1, 0}});
        assertSameAsDl4j(nets, words, labels, null);
        assertGradientsOk(nets[1], words, labels, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "SimpleRnn"})
    void inAFloatNetworkItMatchesDl4jToFloatPrecision(String kind) {
        // The notebooks' networks are float: the layers read and write float arrays, computing in double inside.
        BiFunction<String, Boolean, MultiLayerConfiguration> conf = (k, f) -> new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.FLOAT)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list()
                .layer((f
                                ? new FastEmbedding.Builder()
                                : new org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer.Builder())
                        .nIn(6)
                        .nOut(3)
                        .inputLength(5)
                        .build())
                .layer(cell(k, f, 3, 4))
                .layer(new LastTimeStep(cell(k, f, 4, 3)))
                .layer(new OutputLayer.Builder()
                        .nIn(3)
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT)
                        .build())
                .build();
        MultiLayerNetwork slow = new MultiLayerNetwork(conf.apply(kind, false));
        slow.init();
        MultiLayerNetwork fast = new MultiLayerNetwork(conf.apply(kind, true));
        fast.init(slow.params().dup(), true);
        INDArray words = Nd4j.create(new double[][] {{2, 0, 2, 5, 1}, {4, 3, 1, 1, 0}, {5, 5, 2, 0, 3}})
                .castTo(DataType.FLOAT);
        INDArray labels = Nd4j.create(new double[][] {{1, 0}, {0, 1}, {1, 0}}).castTo(DataType.FLOAT);
        INDArray out = fast.output(words);
        assertEquals(DataType.FLOAT, out.dataType());
        assertClose(slow.output(words), out, 1e-6, "output");
        for (MultiLayerNetwork n : new MultiLayerNetwork[] {slow, fast}) {
            n.setInput(words);
            n.setLabels(labels);
            n.computeGradientAndScore();
        }
        assertEquals(slow.score(), fast.score(), 1e-6, "loss");
        assertClose(slow.gradient().gradient(), fast.gradient().gradient(), 1e-6, "gradient");
    }
}
