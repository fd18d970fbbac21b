package org.rnnlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnlab.engine.FastLSTM;
import org.rnnlab.engine.FastSimpleRnn;
import org.rnnlab.train.ModelSummary;

class BidirectionalLastStepTest extends GradientCheckSupport {

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER_UNIFORM);
    }

    private static MultiLayerNetwork net(Layer bi, long nOut) {
        MultiLayerConfiguration conf = base().list()
                .layer(bi)
                .layer(new OutputLayer.Builder()
                        .nIn(nOut)
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT)
                        .build())
                .build();
        return initPerturbed(new MultiLayerNetwork(conf));
    }

    private static LSTM lstm(int nIn, int nOut) {
        // DL4J's LSTM takes the network's default activation (sigmoid) unless told: Keras' is tanh.
        return new LSTM.Builder()
                .nIn(nIn)
                .nOut(nOut)
                .activation(Activation.TANH)
                .build();
    }

    private static void assertClassifierGradientsOk(MultiLayerNetwork net, INDArray in, INDArray mask) {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, in.size(0), 2);
        for (int i = 0; i < in.size(0); i++) {
            labels.putScalar(i, i % 2, 1.0);
        }
        assertGradientsOk(net, in, labels, mask);
    }

    @Test
    void lstm32On32InputsHasKerasParameterCount() {
        MultiLayerNetwork n = net(new BidirectionalLastStep(lstm(32, 32)), 64);
        assertEquals(16_640, n.getLayer(0).numParams());
        ModelSummary s = ModelSummary.of(n);
        assertEquals("(None, 64)", s.rows().get(0).outputShape());
        assertEquals("BidirectionalLastStep(LSTM)", s.rows().get(0).type());
        assertEquals(16_640, s.params(0));
        MultiLayerNetwork sum = net(new BidirectionalLastStep(Bidirectional.Mode.ADD, lstm(32, 32)), 32);
        assertEquals("(None, 32)", ModelSummary.of(sum).rows().get(0).outputShape());
    }

    @Test
    void kerasNestedBidirectionalExampleHas4265Parameters() {
        MultiLayerNetwork n = new MultiLayerNetwork(base().list()
                .layer(new Bidirectional(Bidirectional.Mode.CONCAT, lstm(10, 10)))
                .layer(new BidirectionalLastStep(lstm(20, 10)))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(20)
                        .nOut(5)
                        .activation(Activation.IDENTITY)
                        .build())
                .build());
        n.init();
        ModelSummary s = ModelSummary.of(n, org.deeplearning4j.nn.conf.inputs.InputType.recurrent(10, 5));
        assertEquals(
                java.util.List.of(1_680L, 2_480L, 105L),
                s.rows().stream().map(ModelSummary.Row::params).toList());
        assertEquals(
                java.util.List.of("(None, 20, 5)", "(None, 20)", "(None, 5)"),
                s.rows().stream().map(ModelSummary.Row::outputShape).toList());
        assertEquals(4_265L, s.totalParams());
    }

    @Test
    void matchesAGraphOfForwardAndReversedLayersWithTheSameWeights() {
        MultiLayerNetwork mln = net(new BidirectionalLastStep(lstm(3, 4)), 8);
        ComputationGraphConfiguration conf = base().graphBuilder()
                .addInputs("in")
                .addLayer("fwd", lstm(3, 4), "in")
                .addVertex("reversed", new ReverseTimeSeriesVertex("in"), "in")
                .addLayer("bwd", lstm(3, 4), "reversed")
                .addVertex("fwdLast", new LastTimeStepVertex("in"), "fwd")
                .addVertex("bwdLast", new LastTimeStepVertex("in"), "bwd")
                .addVertex("merged", new MergeVertex(), "fwdLast", "bwdLast")
                .addLayer(
                        "out",
                        new OutputLayer.Builder()
                                .nIn(8)
                                .nOut(2)
                                .activation(Activation.SOFTMAX)
                                .lossFunction(LossFunctions.LossFunction.MCXENT)
                                .build(),
                        "merged")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        var bi = mln.getLayer(0);
        for (String k : new String[] {"W", "RW", "b"}) {
            graph.getLayer("fwd").setParam(k, bi.getParam("f" + k));
            graph.getLayer("bwd").setParam(k, bi.getParam("b" + k));
        }
        graph.getLayer("out").setParam("W", mln.getLayer(1).getParam("W"));
        graph.getLayer("out").setParam("b", mln.getLayer(1).getParam("b"));
        INDArray in = Nd4j.rand(DataType.DOUBLE, 4, 3, 6);
        INDArray expected = graph.outputSingle(in);
        INDArray actual = mln.output(in);
        assertEquals(0.0, expected.sub(actual).amaxNumber().doubleValue(), 1e-12);
        // And not what LastTimeStep(Bidirectional) gives, which reads the backward half at the last step.
        INDArray merged = mln.feedForwardToLayer(0, in, false).get(1);
        INDArray bwdAtEnd = ((org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer) bi)
                .getUnderlying()
                .activate(in, false, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces())
                .get(
                        org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 8),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(5));
        assertTrue(merged.get(
                                org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 8))
                        .sub(bwdAtEnd)
                        .amaxNumber()
                        .doubleValue()
                > 1e-3);
    }

    private static Layer fastCell(String kind, int nIn, int nOut) {
        return switch (kind) {
            case "FastLSTM" ->
                new FastLSTM.Builder()
                        .nIn(nIn)
                        .nOut(nOut)
                        .activation(Activation.TANH)
                        .build();
            case "FastSimpleRnn" ->
                new FastSimpleRnn.Builder()
                        .nIn(nIn)
                        .nOut(nOut)
                        .activation(Activation.TANH)
                        .build();
            default ->
                new GRU.Builder()
                        .nIn(nIn)
                        .nOut(nOut)
                        .resetAfter(kind.equals("GRU-resetAfter"))
                        .build();
        };
    }

    /** In prediction the backward half reads the input backwards in place (no reversed copy): same outputs as a reversed input. */
    @ParameterizedTest
    @ValueSource(strings = {"FastLSTM", "FastSimpleRnn", "GRU", "GRU-resetAfter"})
    void predictionReadsTheBackwardHalfsInputInReverse(String kind) {
        MultiLayerNetwork mln = net(new BidirectionalLastStep(fastCell(kind, 3, 4)), 8);
        ComputationGraph graph = new ComputationGraph(base().graphBuilder()
                .addInputs("in")
                .addLayer("fwd", fastCell(kind, 3, 4), "in")
                .addVertex("reversed", new ReverseTimeSeriesVertex("in"), "in")
                .addLayer("bwd", fastCell(kind, 3, 4), "reversed")
                .addVertex("fwdLast", new LastTimeStepVertex("in"), "fwd")
                .addVertex("bwdLast", new LastTimeStepVertex("in"), "bwd")
                .addVertex("merged", new MergeVertex(), "fwdLast", "bwdLast")
                .setOutputs("merged")
                .build());
        graph.init();
        var bi = mln.getLayer(0);
        for (String k : bi.paramTable().keySet()) {
            graph.getLayer(k.startsWith("f") ? "fwd" : "bwd").setParam(k.substring(1), bi.getParam(k));
        }
        INDArray in = Nd4j.rand(DataType.DOUBLE, 4, 3, 6);
        INDArray expected = graph.outputSingle(false, in);
        for (INDArray layout : layouts(in)) {
            INDArray actual = mln.feedForwardToLayer(0, layout, false).get(1);
            assertEquals(
                    0.0,
                    expected.sub(actual).amaxNumber().doubleValue(),
                    1e-6,
                    kind + ", strides " + java.util.Arrays.toString(layout.stride()));
        }
    }

    @ParameterizedTest
    @EnumSource(Bidirectional.Mode.class)
    void gradientsForEveryMergeMode(Bidirectional.Mode mode) {
        long out = mode == Bidirectional.Mode.CONCAT ? 8 : 4;
        assertClassifierGradientsOk(
                net(new BidirectionalLastStep(mode, lstm(3, 4)), out), Nd4j.rand(DataType.DOUBLE, 3, 3, 5), null);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gradientsReachTheLayerBelowInTheRightTimeOrder(boolean fast) {
        // A recurrent layer below receives the sum of both directions' input gradients, the backward one re-reversed.
        Layer below = fast
                ? new FastLSTM.Builder()
                        .nIn(3)
                        .nOut(4)
                        .activation(Activation.TANH)
                        .build()
                : lstm(3, 4);
        Layer cell = fast
                ? new FastLSTM.Builder()
                        .nIn(4)
                        .nOut(3)
                        .activation(Activation.TANH)
                        .build()
                : lstm(4, 3);
        MultiLayerConfiguration conf = base().list()
                .layer(below)
                .layer(new BidirectionalLastStep(cell))
                .layer(new OutputLayer.Builder()
                        .nIn(6)
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT)
                        .build())
                .build();
        assertClassifierGradientsOk(
                initPerturbed(new MultiLayerNetwork(conf)), Nd4j.rand(DataType.DOUBLE, 3, 3, 5), null);
    }

    @Test
    void gradientsWithSimpleRnnAndGruAndMasks() {
        INDArray mask = Nd4j.create(new double[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {0, 0, 1, 1, 1}});
        assertClassifierGradientsOk(
                net(
                        new BidirectionalLastStep(
                                new SimpleRnn.Builder().nIn(3).nOut(4).build()),
                        8),
                Nd4j.rand(DataType.DOUBLE, 3, 3, 5),
                null);
        assertClassifierGradientsOk(
                net(new BidirectionalLastStep(new GRU.Builder().nIn(3).nOut(4).build()), 8),
                Nd4j.rand(DataType.DOUBLE, 3, 3, 5),
                mask);
        assertClassifierGradientsOk(
                net(
                        new BidirectionalLastStep(
                                Bidirectional.Mode.AVERAGE,
                                new GRU.Builder()
                                        .nIn(3)
                                        .nOut(4)
                                        .resetAfter(true)
                                        .build()),
                        4),
                Nd4j.rand(DataType.DOUBLE, 3, 3, 5),
                mask);
    }

    @Test
    void aDifferentBackwardLayerLikeKerasBackwardLayer() {
        LSTM backward =
                new LSTM.Builder().nIn(3).nOut(4).activation(Activation.RELU).build();
        MultiLayerNetwork n = net(new BidirectionalLastStep(Bidirectional.Mode.CONCAT, lstm(3, 4), backward), 8);
        Bidirectional bi = (Bidirectional) ((BidirectionalLastStep)
                        n.getLayerWiseConfigurations().getConf(0).getLayer())
                .getUnderlying();
        assertEquals(Activation.RELU.getActivationFunction(), ((LSTM) bi.getBwd()).getActivationFn());
        assertEquals(Activation.TANH.getActivationFunction(), ((LSTM) bi.getFwd()).getActivationFn());
        assertClassifierGradientsOk(n, Nd4j.rand(DataType.DOUBLE, 3, 3, 5), null);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new BidirectionalLastStep(
                        Bidirectional.Mode.CONCAT,
                        lstm(3, 4),
                        new LSTM.Builder().nIn(3).nOut(5).build()));
        assertTrue(e.getMessage().contains("same number"), e.getMessage());
    }

    @Test
    void configurationSurvivesJson() {
        MultiLayerConfiguration conf = net(
                        new BidirectionalLastStep(
                                Bidirectional.Mode.MUL,
                                new GRU.Builder().nIn(3).nOut(4).build()),
                        4)
                .getLayerWiseConfigurations();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf.getConf(0).getLayer(), back.getConf(0).getLayer());
    }
}
