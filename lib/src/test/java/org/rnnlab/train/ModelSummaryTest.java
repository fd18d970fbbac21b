package org.rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSummaryTest {

    @Test
    void exercise601HasKerasParameterCountsAndShapes() {
        ModelSummary s = ModelSummary.of(Nets.simpleRnn(8000, 200, 0.001));
        assertEquals(
                List.of(256_000L, 0L, 2_080L, 0L, 33L),
                s.rows().stream().map(ModelSummary.Row::params).toList());
        assertEquals(
                List.of("(None, 32, 200)", "(None, 32, 200)", "(None, 32)", "(None, 32)", "(None, 1)"),
                s.rows().stream().map(ModelSummary.Row::outputShape).toList());
        assertEquals("LastTimeStep(SimpleRnn)", s.rows().get(2).type());
        assertEquals(258_113L, s.totalParams());
        String text = s.toString();
        assertTrue(text.contains("Total params: 258,113"), text);
        assertTrue(text.contains("2,080"), text);
    }

    @Test
    void computationGraphsAreSummarisedInTopologicalOrder() {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "lstm",
                        new org.deeplearning4j.nn.conf.layers.LSTM.Builder()
                                .nIn(10)
                                .nOut(10)
                                .build(),
                        "in")
                .addVertex("last", new org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex("in"), "lstm")
                .addLayer(
                        "out",
                        new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder()
                                .nIn(10)
                                .nOut(5)
                                .activation(org.nd4j.linalg.activations.Activation.IDENTITY)
                                .lossFunction(org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE)
                                .build(),
                        "last")
                .setOutputs("out")
                .build();
        var graph = new org.deeplearning4j.nn.graph.ComputationGraph(conf);
        graph.init();
        ModelSummary s = ModelSummary.of(graph, org.deeplearning4j.nn.conf.inputs.InputType.recurrent(10, 5));
        assertEquals(
                List.of("in", "lstm", "last", "out"),
                s.rows().stream().map(ModelSummary.Row::name).toList());
        assertEquals(
                List.of(0L, 840L, 0L, 55L),
                s.rows().stream().map(ModelSummary.Row::params).toList());
        assertEquals(
                List.of("(None, 10, 5)", "(None, 10, 5)", "(None, 10)", "(None, 5)"),
                s.rows().stream().map(ModelSummary.Row::outputShape).toList());
        assertEquals(895L, s.totalParams());
    }
}
