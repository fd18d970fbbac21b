package org.rnnlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.rnnlab.layers.GRU;
import org.rnnlab.layers.GradientCheckSupport;
import org.rnnlab.train.ModelSummary;

class GRUTest extends GradientCheckSupport {

    private static NeuralNetConfiguration.ListBuilder base() {
        return base(DataType.DOUBLE);
    }

    /** In a float network the GRU runs its fast loop; in a double one (gradient checks), the ND4J reference loop. */
    private static NeuralNetConfiguration.ListBuilder base(DataType type) {
        return new NeuralNetConfiguration.Builder()
                .seed(12345)
                .dataType(type)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .list();
    }

    private static GRU gru(int nIn, int nOut, boolean resetAfter) {
        return new GRU.Builder()
                .nIn(nIn)
                .nOut(nOut)
                .resetAfter(resetAfter)
                .biasInit(0.1)
                .build();
    }

    private static MultiLayerNetwork net(MultiLayerConfiguration conf) {
        return initPerturbed(new MultiLayerNetwork(conf));
    }

    @Test
    void parameterCountsMatchKeras() {
        MultiLayerNetwork a = net(base().layer(new LastTimeStep(gru(32, 32, false)))
                .layer(new OutputLayer.Builder()
                        .nIn(32)
                        .nOut(1)
                        .activation(Activation.SIGMOID)
                        .lossFunction(LossFunctions.LossFunction.XENT)
                        .build())
                .build());
        MultiLayerNetwork b = net(base().layer(new LastTimeStep(gru(32, 32, true)))
                .layer(new OutputLayer.Builder()
                        .nIn(32)
                        .nOut(1)
                        .activation(Activation.SIGMOID)
                        .lossFunction(LossFunctions.LossFunction.XENT)
                        .build())
                .build());
        assertEquals(6_240, a.getLayer(0).numParams());
        assertEquals(6_336, b.getLayer(0).numParams());
        ModelSummary s = ModelSummary.of(a);
        assertEquals("LastTimeStep(GRU)", s.rows().get(0).type());
        assertEquals(6_240, s.params(0));
    }

    @Test
    void worksInAComputationGraphWithGradientsChecked() {
        var conf = new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .graphBuilder()
                .addInputs("in")
                .addLayer("gru", gru(3, 4, true), "in")
                .addVertex("last", new org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex("in"), "gru")
                .addLayer(
                        "out",
                        new OutputLayer.Builder()
                                .nIn(4)
                                .nOut(1)
                                .activation(Activation.SIGMOID)
                                .lossFunction(LossFunctions.LossFunction.XENT)
                                .build(),
                        "last")
                .setOutputs("out")
                .build();
        var graph = new org.deeplearning4j.nn.graph.ComputationGraph(conf);
        graph.init();
        INDArray in = Nd4j.rand(DataType.DOUBLE, 3, 3, 5);
        assertEquals(3, graph.outputSingle(in).size(0));
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(new INDArray[] {in})
                .labels(new INDArray[] {Nd4j.create(new double[][] {{1}, {0}, {1}})})
                .epsilon(1e-6)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-9)));
    }

    @Test
    void recurrentWeightsStartOrthogonalAndBiasesAtBiasInit() {
        MultiLayerNetwork n = new MultiLayerNetwork(
                base().layer(new GRU.Builder().nIn(3).nOut(4).build())
                        .layer(new RnnOutputLayer.Builder()
                                .nIn(4)
                                .nOut(1)
                                .activation(Activation.IDENTITY)
                                .lossFunction(LossFunctions.LossFunction.MSE)
                                .build())
                        .build());
        n.init();
        INDArray rw = n.getLayer(0).getParam("RW"); // 4 x 12: orthonormal rows
        assertEquals(0.0, rw.mmul(rw.transpose()).sub(Nd4j.eye(4)).norm2Number().doubleValue(), 1e-9);
        assertEquals(0.0, n.getLayer(0).getParam("b").norm2Number().doubleValue(), 0.0);
    }

    @Test
    void configurationSurvivesJson() {
        MultiLayerConfiguration conf = base().layer(new GRU.Builder()
                        .nIn(3)
                        .nOut(4)
                        .resetAfter(true)
                        .gateActivationFunction(Activation.HARDSIGMOID)
                        .build())
                .layer(new RnnOutputLayer.Builder()
                        .nIn(4)
                        .nOut(1)
                        .activation(Activation.IDENTITY)
                        .lossFunction(LossFunctions.LossFunction.MSE)
                        .build())
                .build();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        GRU g = (GRU) back.getConf(0).getLayer();
        assertTrue(g.isResetAfter());
        assertEquals(conf.getConf(0).getLayer(), g);
    }

    /** A GRU computed by hand from the equations in {@link GRU}'s Javadoc, for one example. */
    private static double[][] byHand(double[][] x, double[][] w, double[][] u, double[] b, boolean resetAfter) {
        int steps = x.length;
        int n = u.length;
        double[] h = new double[n];
        double[][] out = new double[steps][n];
        for (int t = 0; t < steps; t++) {
            double[] z = new double[n];
            double[] r = new double[n];
            double[] cand = new double[n];
            for (int j = 0; j < n; j++) {
                double az = b[j] + (resetAfter ? b[3 * n + j] : 0);
                double ar = b[n + j] + (resetAfter ? b[4 * n + j] : 0);
                for (int i = 0; i < x[t].length; i++) {
                    az += x[t][i] * w[i][j];
                    ar += x[t][i] * w[i][n + j];
                }
                for (int k = 0; k < n; k++) {
                    az += h[k] * u[k][j];
                    ar += h[k] * u[k][n + j];
                }
                z[j] = 1 / (1 + Math.exp(-az));
                r[j] = 1 / (1 + Math.exp(-ar));
            }
            for (int j = 0; j < n; j++) {
                double ah = b[2 * n + j];
                for (int i = 0; i < x[t].length; i++) {
                    ah += x[t][i] * w[i][2 * n + j];
                }
                if (!resetAfter) {
                    for (int k = 0; k < n; k++) {
                        ah += r[k] * h[k] * u[k][2 * n + j];
                    }
                } else {
                    double rec = b[5 * n + j];
                    for (int k = 0; k < n; k++) {
                        rec += h[k] * u[k][2 * n + j];
                    }
                    ah += r[j] * rec;
                }
                cand[j] = Math.tanh(ah);
            }
            for (int j = 0; j < n; j++) {
                h[j] = z[j] * h[j] + (1 - z[j]) * cand[j];
            }
            out[t] = h.clone();
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void matchesTheEquationsComputedByHand(boolean resetAfter) {
        // Double: the ND4J reference loop; float: the fast loop, to float precision.
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            matchesTheEquationsComputedByHand(resetAfter, type, type == DataType.DOUBLE ? 1e-12 : 1e-5);
        }
    }

    private static void matchesTheEquationsComputedByHand(boolean resetAfter, DataType type, double tolerance) {
        int nIn = 2, n = 3, steps = 4;
        MultiLayerNetwork net = net(base(type)
                .layer(gru(nIn, n, resetAfter))
                .layer(new RnnOutputLayer.Builder()
                        .nIn(n)
                        .nOut(1)
                        .activation(Activation.IDENTITY)
                        .lossFunction(LossFunctions.LossFunction.MSE)
                        .build())
                .build());
        double[][] w = net.getLayer(0).getParam("W").toDoubleMatrix();
        double[][] u = net.getLayer(0).getParam("RW").toDoubleMatrix();
        double[] b = net.getLayer(0).getParam("b").toDoubleVector();
        Random rng = new Random(3);
        INDArray in = Nd4j.create(type, 2, nIn, steps);
        for (int e = 0; e < 2; e++) {
            double[][] x = new double[steps][nIn];
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < nIn; i++) {
                    x[t][i] = (float) rng.nextGaussian();
                    in.putScalar(new long[] {e, i, t}, x[t][i]);
                }
            }
            INDArray out = net.feedForwardToLayer(1, in, false).get(1);
            double[][] expected = byHand(x, w, u, b, resetAfter);
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(
                            expected[t][j],
                            out.getDouble(e, j, t),
                            tolerance,
                            type + ", example " + e + ", step " + t + ", unit " + j);
                }
            }
        }
        assertEquals(type == DataType.FLOAT ? 2 : 0, ((GRULayer) net.getLayer(0)).fastPasses);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gradientsOfAFullSequenceLayer(boolean resetAfter) {
        MultiLayerNetwork net = net(base().layer(gru(3, 4, resetAfter))
                .layer(new RnnOutputLayer.Builder()
                        .nIn(4)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .lossFunction(LossFunctions.LossFunction.MSE)
                        .build())
                .build());
        assertGradientsOk(net, Nd4j.rand(DataType.DOUBLE, 3, 3, 5), Nd4j.rand(DataType.DOUBLE, 3, 2, 5), null);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gradientsWithAMask(boolean resetAfter) {
        MultiLayerNetwork net = net(base().layer(gru(3, 4, resetAfter))
                .layer(new RnnOutputLayer.Builder()
                        .nIn(4)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .lossFunction(LossFunctions.LossFunction.MSE)
                        .build())
                .build());
        INDArray mask = Nd4j.create(new double[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {0, 0, 1, 1, 1}});
        assertGradientsOk(net, Nd4j.rand(DataType.DOUBLE, 3, 3, 5), Nd4j.rand(DataType.DOUBLE, 3, 2, 5), mask);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gradientsInsideLastTimeStepWithAMask(boolean resetAfter) {
        MultiLayerNetwork net = net(base().layer(new LastTimeStep(gru(3, 4, resetAfter)))
                .layer(new OutputLayer.Builder()
                        .nIn(4)
                        .nOut(1)
                        .activation(Activation.SIGMOID)
                        .lossFunction(LossFunctions.LossFunction.XENT)
                        .build())
                .build());
        INDArray mask = Nd4j.create(new double[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {0, 0, 1, 1, 1}});
        INDArray labels = Nd4j.create(new double[][] {{1}, {0}, {1}});
        assertGradientsOk(net, Nd4j.rand(DataType.DOUBLE, 3, 3, 5), labels, mask);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gradientsInsideBidirectional(boolean resetAfter) {
        // (DL4J M2.1 rejects Bidirectional followed by RnnOutputLayer in backprop, with its own LSTM too.)
        MultiLayerNetwork net =
                net(base().layer(new LastTimeStep(new Bidirectional(Bidirectional.Mode.CONCAT, gru(3, 4, resetAfter))))
                        .layer(new OutputLayer.Builder()
                                .nIn(8)
                                .nOut(2)
                                .activation(Activation.IDENTITY)
                                .lossFunction(LossFunctions.LossFunction.MSE)
                                .build())
                        .build());
        assertEquals(
                2 * (3 * (3 * 4 + 4 * 4) + (resetAfter ? 24 : 12)),
                net.getLayer(0).numParams());
        assertGradientsOk(net, Nd4j.rand(DataType.DOUBLE, 2, 3, 4), Nd4j.rand(DataType.DOUBLE, 2, 2), null);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gradientsOfTwoStackedLayers(boolean resetAfter) {
        MultiLayerNetwork net = net(base().layer(gru(3, 4, resetAfter))
                .layer(new LastTimeStep(gru(4, 3, resetAfter)))
                .layer(new OutputLayer.Builder()
                        .nIn(3)
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT)
                        .build())
                .build());
        INDArray labels = Nd4j.create(new double[][] {{1, 0}, {0, 1}, {1, 0}});
        assertGradientsOk(net, Nd4j.rand(DataType.DOUBLE, 3, 3, 4), labels, null);
    }

    /** The GRU layers of a network, also those wrapped in LastTimeStep. */
    private static java.util.List<GRULayer> gruLayers(MultiLayerNetwork net) {
        java.util.List<GRULayer> out = new java.util.ArrayList<>();
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
            if (l instanceof org.deeplearning4j.nn.layers.recurrent.LastTimeStepLayer w) {
                l = w.getUnderlying();
            }
            if (l instanceof GRULayer g) {
                out.add(g);
            }
        }
        return out;
    }

    /** A classifier of two stacked GRUs (the second under LastTimeStep) in the given precision. */
    private static MultiLayerConfiguration stacked(DataType type, boolean resetAfter) {
        return stacked(type, resetAfter, 5, 4);
    }

    /** As {@link #stacked(DataType, boolean)}, with the given numbers of units. */
    private static MultiLayerConfiguration stacked(DataType type, boolean resetAfter, int first, int second) {
        return base(type)
                .layer(gru(3, first, resetAfter))
                .layer(new LastTimeStep(gru(first, second, resetAfter)))
                .layer(new OutputLayer.Builder()
                        .nIn(second)
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT)
                        .build())
                .build();
    }

    /** The float network's parameters as the reference: the same values in double, run by the ND4J loop. */
    private static MultiLayerNetwork ndLoopTwin(MultiLayerConfiguration doubleConf, MultiLayerNetwork fast) {
        MultiLayerNetwork nd = new MultiLayerNetwork(doubleConf);
        nd.init(fast.params().castTo(DataType.DOUBLE), true);
        return nd;
    }

    /**
     * Small layers run their step products on OpenBLAS, layers of 32 units in SIMD registers ({@code VectorProducts}:
     * six rows leave two outside its blocks of four).
     */
    @ParameterizedTest
    @CsvSource({"false, 5, 4", "true, 5, 4", "false, 32, 32", "true, 32, 32"})
    void fastLoopGivesTheNd4jLoopsOutputsAndGradientsToFloatPrecision(boolean resetAfter, int first, int second) {
        MultiLayerNetwork nd = net(stacked(DataType.DOUBLE, resetAfter, first, second));
        MultiLayerNetwork fast = new MultiLayerNetwork(stacked(DataType.FLOAT, resetAfter, first, second));
        fast.init(nd.params().castTo(DataType.FLOAT), true);
        assertEquals(2, gruLayers(fast).size());
        int batch = first == 32 ? 6 : 3;
        INDArray in = Nd4j.rand(DataType.DOUBLE, batch, 3, 7);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, batch, 2);
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, i % 2 == 0 ? 0 : 1, 1.0);
        }
        INDArray out = fast.output(in.castTo(DataType.FLOAT));
        assertEquals(DataType.FLOAT, out.dataType());
        assertEquals(
                0.0, nd.output(in).sub(out.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), 1e-5, "outputs");
        nd.setInput(in);
        nd.setLabels(labels);
        nd.computeGradientAndScore();
        fast.setInput(in.castTo(DataType.FLOAT));
        fast.setLabels(labels.castTo(DataType.FLOAT));
        fast.computeGradientAndScore();
        assertEquals(nd.score(), fast.score(), 1e-5, "loss");
        INDArray diff = nd.gradient().gradient().sub(fast.gradient().gradient().castTo(DataType.DOUBLE));
        assertTrue(nd.gradient().gradient().amaxNumber().doubleValue() > 1e-3, "gradients are not all zero");
        assertEquals(0.0, diff.amaxNumber().doubleValue(), 2e-5, "gradients");
        assertTrue(gruLayers(fast).stream().allMatch(g -> g.fastPasses > 0), "the fast loops ran");
        assertTrue(
                gruLayers(fast).stream().allMatch(g -> (g.vectorPasses() > 0) == (first == 32)),
                "the SIMD products ran where the units fill their spans");
        assertTrue(gruLayers(nd).stream().allMatch(g -> g.fastPasses == 0), "the reference ran the ND4J loop");
    }

    /** The fast loop reads its input through its strides: every layout of the same values gives the ND4J loop's outputs. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void predictsFromInputsInAnyLayout(boolean resetAfter) {
        java.util.function.Function<DataType, MultiLayerConfiguration> conf = type -> base(type)
                .layer(gru(3, 5, resetAfter))
                .layer(new RnnOutputLayer.Builder()
                        .nIn(5)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .lossFunction(LossFunctions.LossFunction.MSE)
                        .build())
                .build();
        MultiLayerNetwork fast = new MultiLayerNetwork(conf.apply(DataType.FLOAT));
        fast.init();
        MultiLayerNetwork nd = ndLoopTwin(conf.apply(DataType.DOUBLE), fast);
        INDArray in = Nd4j.rand(DataType.DOUBLE, 4, 3, 6);
        INDArray expected = nd.getLayer(0).activate(in, false, LayerWorkspaceMgr.noWorkspaces());
        for (INDArray layout : layouts(in.castTo(DataType.FLOAT))) {
            INDArray out = fast.getLayer(0).activate(layout, false, LayerWorkspaceMgr.noWorkspaces());
            assertEquals(
                    0.0,
                    expected.sub(out.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(),
                    1e-5,
                    "output for strides " + java.util.Arrays.toString(layout.stride()) + " " + layout.dataType());
        }
        assertEquals(layouts(in).length, gruLayers(fast).get(0).fastPasses);
    }
}
