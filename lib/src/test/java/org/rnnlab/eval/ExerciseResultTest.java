package org.rnnlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.Mode;

class ExerciseResultTest {

    @Test
    void savedResultsReadBackInExerciseOrder(@TempDir Path dir) {
        ExerciseResult lstm = new ExerciseResult(
                "6.02", "LSTM", 8320, 301.5, 5, 0.8601, 0.8712, 3, Mode.FULL, LocalDate.of(2026, 11, 22));
        ExerciseResult rnn = new ExerciseResult(
                "6.01", "SimpleRNN", 2080, 120.0, 10, 0.8415, 0.85, 7, Mode.FULL, LocalDate.of(2026, 11, 22));
        lstm.save(dir);
        rnn.save(dir);
        assertEquals(List.of(rnn, lstm), ExerciseResult.loadAll(dir));
        assertEquals(List.of(), ExerciseResult.loadAll(dir.resolve("none")));
    }

    @Test
    void recurrentParametersAreCountedThroughWrappers() {
        var lstm = new org.deeplearning4j.nn.conf.layers.LSTM.Builder()
                .nIn(32)
                .nOut(32)
                .build();
        var net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(
                new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                        .list()
                        .layer(new org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer.Builder()
                                .nIn(100)
                                .nOut(32)
                                .build())
                        .layer(new org.rnnlab.layers.BidirectionalLastStep(lstm))
                        .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder()
                                .nIn(64)
                                .nOut(1)
                                .activation(org.nd4j.linalg.activations.Activation.SIGMOID)
                                .lossFunction(org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.XENT)
                                .build())
                        .build());
        net.init();
        assertEquals(16_640, ExerciseResult.recurrentParams(net));
        assertEquals(null, ExerciseResult.save("6.04", "BiLSTM", null, null, null, null, 0));
    }

    @Test
    void aBrokenFileIsExplained() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ExerciseResult.fromJson("{\"exercise\": \"6.01\"}"));
        assertEquals("no \"model\" in {\"exercise\": \"6.01\"}", e.getMessage());
    }
}
