package org.rnnlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BiFunction;
import java.util.function.ToIntFunction;
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
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

/**
 * FastLSTM, FastSimpleRnn and FastEmbedding, whose loops compute in single precision, give DL4J's own
 * double-precision outputs, losses and gradients to float precision, and leave double networks (gradient
 * checks) and masked sequences to DL4J's own computation.
 */
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

    /** An embedding of 6 words into 3 values for sequences of 5: DL4J's or the fast one. */
    private static org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer.Builder embedding(boolean fast) {
        return (fast
                        ? new FastEmbedding.Builder()
                        : new org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer.Builder())
                .nIn(6)
                .nOut(3)
                .inputLength(5);
    }

    /** The reference (DL4J's own layers) in double precision, the fast layers in single, as the notebooks run. */
    private static NeuralNetConfiguration.ListBuilder base(boolean fast) {
        return new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(fast ? DataType.FLOAT : DataType.DOUBLE)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list();
    }

    /** A sequence-output network (cell → RnnOutputLayer). */
    private static MultiLayerConfiguration sequenceNet(Layer cell, boolean fast) {
        return base(fast)
                .layer(cell)
                .layer(new RnnOutputLayer.Builder()
                        .nIn(4)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .lossFunction(LossFunctions.LossFunction.MSE)
                        .build())
                .build();
    }

    /** Builds DL4J's network (double) and the fast one (float) with the same (perturbed) parameters. */
    private static MultiLayerNetwork[] pair(String kind, BiFunction<String, Boolean, MultiLayerConfiguration> conf) {
        MultiLayerNetwork slow = initPerturbed(new MultiLayerNetwork(conf.apply(kind, false)));
        MultiLayerNetwork fast = new MultiLayerNetwork(conf.apply(kind, true));
        fast.init(slow.params().castTo(DataType.FLOAT), true);
        return new MultiLayerNetwork[] {slow, fast};
    }

    /** How many forward passes the network's fast recurrent layers ran on their own loops (wrappers included). */
    static int fastPasses(MultiLayerNetwork net) {
        return passes(net, l -> {
            if (l instanceof FastLSTMLayer f) {
                return f.fastPasses;
            }
            if (l instanceof FastSimpleRnnLayer f) {
                return f.fastPasses;
            }
            return l instanceof GRULayer g ? g.fastPasses : 0;
        });
    }

    /** {@code count} summed over the network's layers, inside wrappers and both halves of bidirectional ones. */
    private static int passes(MultiLayerNetwork net, ToIntFunction<org.deeplearning4j.nn.api.Layer> count) {
        int n = 0;
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
            n += passes(l, count);
        }
        return n;
    }

    private static int passes(org.deeplearning4j.nn.api.Layer l, ToIntFunction<org.deeplearning4j.nn.api.Layer> count) {
        if (l instanceof BidirectionalLastStepLayer b) {
            return b.halves().stream().mapToInt(h -> passes(h, count)).sum();
        }
        if (l instanceof org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer w) {
            return passes(w.getUnderlying(), count);
        }
        return count.applyAsInt(l);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        assertEquals(
                java.util.Arrays.toString(expected.shape()),
                java.util.Arrays.toString(actual.shape()),
                what + " shape");
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff < tol, what + " differs by " + diff);
    }

    private static INDArray single(INDArray a) {
        return a == null ? null : a.castTo(DataType.FLOAT);
    }

    /**
     * The fast network's outputs, loss and gradients in float against DL4J's in double: float rounding only (a
     * wrong term in any equation differs by orders of magnitude more).
     */
    private static void assertSameAsDl4j(MultiLayerNetwork[] nets, INDArray in, INDArray labels, INDArray mask) {
        INDArray fastOut = nets[1].output(single(in), false, single(mask), null);
        assertEquals(DataType.FLOAT, fastOut.dataType());
        assertClose(nets[0].output(in, false, mask, null), fastOut.castTo(DataType.DOUBLE), 1e-5, "output");
        for (MultiLayerNetwork n : nets) {
            boolean fast = n == nets[1];
            n.setInput(fast ? single(in) : in);
            n.setLabels(fast ? single(labels) : labels);
            INDArray m = fast ? single(mask) : mask;
            n.setLayerMaskArrays(m, labels.rank() == 3 ? m : null);
            n.computeGradientAndScore();
        }
        assertEquals(nets[0].score(), nets[1].score(), 1e-5, "loss");
        INDArray expected = nets[0].gradient().gradient();
        assertTrue(expected.amaxNumber().doubleValue() > 1e-3, "gradients are not all zero");
        assertClose(expected, nets[1].gradient().gradient().castTo(DataType.DOUBLE), 2e-5, "gradient");
    }

    /** The layers read their input through its strides: every layout of the same values gives DL4J's outputs. */
    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "SimpleRnn"})
    void predictsFromInputsInAnyLayout(String kind) {
        MultiLayerNetwork[] nets = pair(kind, (k, f) -> sequenceNet(cell(k, f, 3, 4), f));
        INDArray in = Nd4j.rand(DataType.DOUBLE, 5, 3, 6);
        INDArray expected = nets[0].output(in, false);
        org.deeplearning4j.nn.api.Layer layer = nets[1].getLayer(0);
        for (INDArray layout : layouts(in.castTo(DataType.FLOAT))) {
            INDArray out = layer.activate(layout, false, LayerWorkspaceMgr.noWorkspaces());
            assertClose(
                    nets[0].getLayer(0).activate(in, false, LayerWorkspaceMgr.noWorkspaces()),
                    out.castTo(DataType.DOUBLE),
                    1e-5,
                    "output for strides " + java.util.Arrays.toString(layout.stride()) + " " + layout.dataType());
        }
        assertEquals(layouts(in).length, fastPasses(nets[1]));
        assertClose(expected, nets[1].output(in.castTo(DataType.FLOAT), false).castTo(DataType.DOUBLE), 1e-5, "output");
    }

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "SimpleRnn"})
    void isTheSameLayerAsDl4jsToChecksAndCounts(String kind) {
        Layer fast = cell(kind, true, 3, 4);
        Class<?> dl4j = kind.equals("LSTM") ? LSTM.class : SimpleRnn.class;
        assertTrue(dl4j.isInstance(fast), fast.getClass() + " is not a " + dl4j);
        MultiLayerNetwork[] nets = pair(kind, (k, f) -> sequenceNet(cell(k, f, 3, 4), f));
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
    void fullSequenceMatchesDl4j(String kind) {
        MultiLayerNetwork[] nets = pair(kind, (k, f) -> sequenceNet(cell(k, f, 3, 4), f));
        INDArray in = Nd4j.rand(DataType.DOUBLE, 3, 3, 6);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, 3, 2, 6);
        assertSameAsDl4j(nets, in, labels, null);
        assertTrue(fastPasses(nets[1]) >= 2, "the fast loop ran");
    }

    /** In a double-precision network (gradient checks) the layers are DL4J's own computation, and check. */
    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "SimpleRnn"})
    void inADoubleNetworkItIsDl4jsOwnComputation(String kind) {
        MultiLayerNetwork net = initPerturbed(new MultiLayerNetwork(sequenceNet(cell(kind, true, 3, 4), false)));
        INDArray in = Nd4j.rand(DataType.DOUBLE, 3, 3, 6);
        assertGradientsOk(net, in, Nd4j.rand(DataType.DOUBLE, 3, 2, 6), null);
        assertEquals(0, fastPasses(net));
    }

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "SimpleRnn"})
    void withAMaskItIsDl4jsOwnComputation(String kind) {
        MultiLayerNetwork[] nets = pair(kind, (k, f) -> sequenceNet(cell(k, f, 3, 4), f));
        INDArray mask = Nd4j.create(new double[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {0, 0, 1, 1, 1}});
        INDArray in = Nd4j.rand(DataType.DOUBLE, 3, 3, 5);
        assertSameAsDl4j(nets, in, Nd4j.rand(DataType.DOUBLE, 3, 2, 5), mask);
        org.deeplearning4j.nn.api.Layer layer = nets[1].getLayer(0);
        int before = fastPasses(nets[1]);
        layer.setMaskArray(single(mask));
        layer.activate(single(in), false, LayerWorkspaceMgr.noWorkspaces());
        assertEquals(before, fastPasses(nets[1]), "a masked layer left the fast loop alone");
    }

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "SimpleRnn"})
    void stackedUnderLastTimeStepMatchesDl4j(String kind) {
        MultiLayerNetwork[] nets = pair(
                kind,
                (k, f) -> base(f).layer(cell(k, f, 3, 4))
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
        assertTrue(fastPasses(nets[1]) >= 4, "both fast loops ran");
    }

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "SimpleRnn"})
    void insideBidirectionalLastStepMatchesDl4j(String kind) {
        MultiLayerNetwork[] nets = pair(
                kind,
                (k, f) -> base(f).layer(new BidirectionalLastStep(cell(k, f, 3, 4)))
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
        assertTrue(fastPasses(nets[1]) >= 4, "both halves' fast loops ran");
    }

    /**
     * An LSTM or simple RNN whose units fill whole SIMD vectors runs each step on {@link VectorLstm} or {@link VectorProducts}: stacked, under
     * {@code LastTimeStep} and in both directions of {@code BidirectionalLastStep}, with batches that fill its blocks of
     * six and four rows and leave rows outside them (11 = 6 + 4 + 1 with 8-float vectors, 4 + 4 + 1 + 1 + 1 with
     * 16-float ones).
     */
    @ParameterizedTest
    @CsvSource({"LSTM, 1", "LSTM, 6", "LSTM, 8", "LSTM, 11", "SimpleRnn, 1", "SimpleRnn, 6", "SimpleRnn, 11"})
    void stepsInSimdRegistersMatchDl4j(String kind, int batch) {
        int units = 32;
        MultiLayerNetwork[] nets = pair(
                kind,
                (k, f) -> base(f).layer(cell(k, f, 5, units))
                        .layer(new LastTimeStep(cell(k, f, units, units)))
                        .layer(new OutputLayer.Builder()
                                .nIn(units)
                                .nOut(2)
                                .activation(Activation.SOFTMAX)
                                .lossFunction(LossFunctions.LossFunction.MCXENT)
                                .build())
                        .build());
        INDArray in = Nd4j.rand(DataType.DOUBLE, batch, 5, 7);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, batch, 2);
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, i % 2, 1.0);
        }
        assertSameAsDl4j(nets, in, labels, null);
        assertTrue(vectorPasses(nets[1]) >= 4, "both layers' SIMD steps ran");

        MultiLayerNetwork[] both = pair(
                kind,
                (k, f) -> base(f).layer(new BidirectionalLastStep(cell(k, f, 5, units)))
                        .layer(new OutputLayer.Builder()
                                .nIn(2 * units)
                                .nOut(2)
                                .activation(Activation.IDENTITY)
                                .lossFunction(LossFunctions.LossFunction.MSE)
                                .build())
                        .build());
        assertSameAsDl4j(both, in, Nd4j.rand(DataType.DOUBLE, batch, 2), null);
        assertTrue(vectorPasses(both[1]) >= 4, "both halves' SIMD steps ran");
    }

    private static int vectorPasses(MultiLayerNetwork net) {
        return passes(net, l -> {
            if (l instanceof FastLSTMLayer f) {
                return f.vectorPasses;
            }
            return l instanceof FastSimpleRnnLayer f ? f.vectorPasses : 0;
        });
    }

    /**
     * The embedding lays its rows out step by step, yet reads as DL4J's output in either format and for either input
     * shape and any length; input DL4J rejects (an index outside the vocabulary, a rank-3 input of more than one
     * channel) gets DL4J's message.
     */
    @ParameterizedTest
    @ValueSource(strings = {"NCW", "NWC"})
    void embeddingOutputIsDl4jsAndItsMessagesToo(String format) {
        BiFunction<String, Boolean, MultiLayerConfiguration> conf = (k, f) -> base(f).layer(embedding(f)
                        .outputDataFormat(org.deeplearning4j.nn.conf.RNNFormat.valueOf(format))
                        .build())
                .build();
        MultiLayerNetwork[] nets = pair("embedding", conf);
        org.deeplearning4j.nn.api.Layer dl4j = nets[0].getLayer(0);
        org.deeplearning4j.nn.api.Layer fast = nets[1].getLayer(0);
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        INDArray words = Nd4j.create(new double[][] {{2, 0, 2, 5, 1}, {4, 3, 1, 1, 0}, {5, 5, 2, 0, 3}});
        INDArray shorter =
                Nd4j.create(new double[][] {{1, 4, 4, 0}, {3, 2, 5, 5}}); // the length is read from the input
        for (INDArray in : new INDArray[] {words, words.reshape(3, 1, 5), words.dup('f'), shorter}) {
            INDArray out = fast.activate(single(in), false, none);
            String what = "embedded " + java.util.Arrays.toString(in.shape()) + " " + in.ordering();
            assertClose(dl4j.activate(in, false, none), out.castTo(DataType.DOUBLE), 1e-6, what);
            assertEquals(
                    in.size(0) * 3, out.stride(format.equals("NCW") ? 2 : 1), what + ": rows laid out step by step");
        }
        for (INDArray bad : new INDArray[] {
            Nd4j.create(new double[][] {{2, 0, 6, 5, 1}}),
            Nd4j.create(new double[][] {{2, 0, -1, 5, 1}}),
            words.reshape(3, 5, 1)
        }) {
            Exception expected = org.junit.jupiter.api.Assertions.assertThrows(
                    RuntimeException.class, () -> dl4j.activate(bad, false, none));
            Exception actual = org.junit.jupiter.api.Assertions.assertThrows(
                    RuntimeException.class, () -> fast.activate(single(bad), false, none));
            assertEquals(expected.getMessage(), actual.getMessage());
        }
    }

    @org.junit.jupiter.api.Test
    void embeddingMatchesDl4j() {
        BiFunction<String, Boolean, MultiLayerConfiguration> conf =
                (k, f) -> base(f).layer(embedding(f).build())
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
    }
}
