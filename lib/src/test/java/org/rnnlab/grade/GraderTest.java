package org.rnnlab.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.rnnlab.Mode;
import org.rnnlab.layers.BidirectionalLastStep;
import org.rnnlab.layers.GRU;
import org.rnnlab.train.Trainer;

class GraderTest {

    private static final IUpdater KERAS_RMSPROP = new RmsProp(0.001, 0.9, 1e-7);

    /** A sentiment network as the notebooks build it: embedding, spatial dropout, the given recurrent layers, dropout, sigmoid output. */
    static MultiLayerNetwork net(
            List<Layer> recurrent, double keep, long outIn, LossFunction loss, IUpdater updater, boolean init) {
        return net(recurrent, keep, keep, outIn, loss, updater, init);
    }

    static MultiLayerNetwork net(
            List<Layer> recurrent,
            double spatialKeep,
            double keep,
            long outIn,
            LossFunction loss,
            IUpdater updater,
            boolean init) {
        var list = new NeuralNetConfiguration.Builder()
                .seed(1)
                .updater(updater)
                .list()
                .layer(new EmbeddingSequenceLayer.Builder()
                        .nIn(8000)
                        .nOut(32)
                        .inputLength(200)
                        .build())
                .layer(new DropoutLayer.Builder()
                        .dropOut(new SpatialDropout(spatialKeep))
                        .build());
        recurrent.forEach(list::layer);
        list.layer(new DropoutLayer(keep))
                .layer(new OutputLayer.Builder(loss)
                        .nIn(outIn)
                        .nOut(1)
                        .activation(Activation.SIGMOID)
                        .build());
        MultiLayerNetwork m = new MultiLayerNetwork(list.build());
        if (init) {
            m.init();
        }
        return m;
    }

    static MultiLayerNetwork net(Layer recurrent) {
        return net(List.of(recurrent), 0.6, 32, LossFunction.XENT, KERAS_RMSPROP, true);
    }

    static SimpleRnn.Builder rnn(int units) {
        return new SimpleRnn.Builder().nIn(32).nOut(units).activation(Activation.TANH);
    }

    static LSTM lstm() {
        return new LSTM.Builder().nIn(32).nOut(32).activation(Activation.TANH).build();
    }

    static Trainer trainer(MultiLayerNetwork m, int epochs) {
        return Trainer.of(m).epochs(epochs).batchSize(128).validationSplit(0.2).keepBestWeights("val_accuracy");
    }

    private static String item(StepResult r, String name) {
        return r.items().stream()
                .filter(i -> i.name().equals(name))
                .findFirst()
                .orElseThrow()
                .feedback();
    }

    @Test
    void everySolutionModelGetsFullMarks() {
        Map<String, MultiLayerNetwork> solutions = Map.of(
                "6.01", net(new LastTimeStep(rnn(32).build())),
                "6.02", net(new LastTimeStep(lstm())),
                "6.03",
                        net(new LastTimeStep(new GRU.Builder()
                                .nIn(32)
                                .nOut(32)
                                .resetAfter(false)
                                .build())),
                "6.04",
                        net(
                                List.of(new BidirectionalLastStep(lstm())),
                                0.6,
                                64,
                                LossFunction.XENT,
                                KERAS_RMSPROP,
                                true),
                "6.05",
                        net(
                                List.of(lstm(), new LastTimeStep(lstm())),
                                0.6,
                                0.5,
                                32,
                                LossFunction.XENT,
                                KERAS_RMSPROP,
                                true));
        solutions.forEach((id, m) -> {
            StepResult model = Grader.model(id, m);
            assertEquals(5, model.points(), id + ": " + model.report());
            StepResult training =
                    Grader.training(id, m, trainer(m, Grader.exercise(id).epochs()));
            assertEquals(5, training.points(), id + ": " + training.report());
        });
    }

    @Test
    void referenceModelsAreWhatTheChecksAskFor() {
        for (String id : List.of("6.01", "6.02", "6.03", "6.04", "6.05")) {
            MultiLayerNetwork m = ReferenceModels.build(id, 42);
            StepResult model = Grader.model(id, m);
            assertEquals(5, model.points(), id + ": " + model.report());
            assertEquals(
                    5,
                    Grader.training(id, m, trainer(m, Grader.exercise(id).epochs()))
                            .points(),
                    id);
            assertEquals(Grader.exercise(id).totalParams(), m.numParams(), id);
        }
    }

    @Test
    void kerasAccuraciesComeFromTheCatalogue() {
        assertEquals(
                List.of("6.01", "6.02", "6.03", "6.04", "6.05"),
                List.copyOf(Exercises.kerasAccuracies().keySet()));
        assertEquals(84.15, Exercises.kerasAccuracies().get("6.01"), 1e-9);
        assertEquals(87.53, Exercises.kerasAccuracies().get("6.05"), 1e-9);
        String plan = Exercises.plansJson(Mode.FULL);
        assertTrue(plan.contains("\"6.01\": {\"title\": \"SimpleRNN\", \"keras\": 84.15,"), plan);
        assertTrue(plan.contains("\"6.07\": {\"title\": \"Airline passengers\", \"keras\": null,"), plan);
    }

    @Test
    void parameterCountsAreTheExercises() {
        assertEquals(2_080, Grader.exercise("6.01").recurrentParams());
        assertEquals(8_320, Grader.exercise("6.02").recurrentParams());
        assertEquals(6_240, Grader.exercise("6.03").recurrentParams());
        assertEquals(16_640, Grader.exercise("6.04").recurrentParams());
        assertEquals(16_640, Grader.exercise("6.05").recurrentParams());
        assertEquals(256_000 + 2_080 + 33, Grader.exercise("6.01").totalParams());
    }

    @Test
    void wrongLayerTypeIsNamed() {
        StepResult r = Grader.model("6.01", net(new LastTimeStep(lstm())));
        assertEquals(3, r.points(), r.report());
        assertTrue(
                item(r, ModelChecks.LAYERS).contains("layer 3 is an LSTM; this exercise asks for a SimpleRnn"),
                r.report());
        assertTrue(item(r, ModelChecks.PARAMS).contains("8,320 parameters, expected 2,080"), r.report());
    }

    @Test
    void wrongUnitsAreNamed() {
        MultiLayerNetwork m =
                net(List.of(new LastTimeStep(rnn(16).build())), 0.6, 16, LossFunction.XENT, KERAS_RMSPROP, true);
        StepResult r = Grader.model("6.01", m);
        assertEquals(3, r.points(), r.report());
        assertTrue(
                item(r, ModelChecks.UNITS)
                        .contains("layer 3 (SimpleRnn) has 16 units; the exercise asks for 32: nOut(32)"),
                r.report());
        assertTrue(
                item(r, ModelChecks.PARAMS)
                        .contains("the recurrent layer has 784 parameters, expected 2,080: check nIn and nOut"),
                r.report());
    }

    @Test
    void kerasDropoutValueUsedAsIsGetsTheKeepHint() {
        MultiLayerNetwork m =
                net(List.of(new LastTimeStep(rnn(32).build())), 0.4, 32, LossFunction.XENT, KERAS_RMSPROP, true);
        StepResult r = Grader.model("6.01", m);
        assertEquals(4, r.points(), r.report());
        assertTrue(item(r, ModelChecks.DROPOUT)
                .contains("DL4J's dropout takes the probability of keeping a unit: 0.6 for the exercise's 0.4"));
    }

    @Test
    void lstmWithoutTanhGetsTheSigmoidDefaultHint() {
        LSTM sigmoid = new LSTM.Builder().nIn(32).nOut(32).build();
        StepResult r = Grader.model("6.02", net(new LastTimeStep(sigmoid)));
        assertEquals(4, r.points(), r.report());
        assertTrue(
                item(r, ModelChecks.ACTIVATIONS)
                        .contains("DL4J's LSTM takes the network's default activation (sigmoid)"),
                r.report());
    }

    @Test
    void missingLastTimeStepAndDl4jBidirectionalAreExplained() {
        StepResult seq = Grader.model("6.02", net(lstm()));
        assertTrue(item(seq, ModelChecks.LAYERS).contains("wrap it in LastTimeStep"), seq.report());
        MultiLayerNetwork bi = net(
                List.of(new LastTimeStep(new Bidirectional(lstm()))), 0.6, 64, LossFunction.XENT, KERAS_RMSPROP, true);
        StepResult r = Grader.model("6.04", bi);
        assertTrue(item(r, ModelChecks.LAYERS).contains("use BidirectionalLastStep"), r.report());
        assertEquals(4, r.points(), r.report());
    }

    @Test
    void gruResetAfterIsChecked() {
        StepResult r = Grader.model(
                "6.03",
                net(new LastTimeStep(
                        new GRU.Builder().nIn(32).nOut(32).resetAfter(true).build())));
        assertTrue(item(r, ModelChecks.ACTIVATIONS).contains("resetAfter(false)"), r.report());
        assertTrue(item(r, ModelChecks.PARAMS).contains("6,336 parameters, expected 6,240"), r.report());
    }

    @Test
    void missingAndExtraLayersAndNoInit() {
        MultiLayerNetwork shortNet = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(8000).nOut(32).build())
                .layer(new LastTimeStep(rnn(32).build()))
                .layer(new OutputLayer.Builder(LossFunction.XENT)
                        .nIn(32)
                        .nOut(1)
                        .activation(Activation.SIGMOID)
                        .build())
                .build());
        StepResult r = Grader.model("6.01", shortNet);
        assertTrue(
                item(r, ModelChecks.LAYERS)
                        .contains("layer 2 is a SimpleRnn; this exercise asks for a SpatialDropout1D"),
                r.report());
        assertTrue(item(r, ModelChecks.PARAMS).contains("call model.init()"), r.report());
        assertFalse(r.passed());
    }

    @Test
    void dropoutOnTheOutputLayerCountsAsADropoutLayer() {
        MultiLayerNetwork m = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .updater(KERAS_RMSPROP)
                .list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(8000).nOut(32).build())
                .layer(new DropoutLayer.Builder()
                        .dropOut(new SpatialDropout(0.6))
                        .build())
                .layer(new LastTimeStep(rnn(32).build()))
                .layer(new OutputLayer.Builder(LossFunction.XENT)
                        .nIn(32)
                        .nOut(1)
                        .dropOut(0.6)
                        .activation(Activation.SIGMOID)
                        .build())
                .build());
        m.init();
        assertEquals(5, Grader.model("6.01", m).points());
    }

    @Test
    void nullModelAndTrainerGiveHintsNotExceptions() {
        StepResult model = Grader.model("6.01", null);
        assertEquals(0, model.points());
        assertEquals(5, model.maxPoints());
        assertTrue(
                model.feedback()
                        .startsWith(
                                "layer types and order, units and inputs, activations, dropout, parameter count: `model` is null"),
                model.feedback());
        StepResult training = Grader.training("6.01", null, Trainer.of(null));
        assertEquals(0, training.points());
        assertTrue(
                training.feedback().contains("the trainer runs 1 epoch; the exercise trains 10: trainer.epochs(10)."),
                training.feedback());
        assertTrue(Grader.training("6.01", null, null).feedback().contains("`trainer` is null"));
    }

    @Test
    void lossAndOptimizerHints() {
        MultiLayerNetwork mse =
                net(List.of(new LastTimeStep(rnn(32).build())), 0.6, 32, LossFunction.MSE, KERAS_RMSPROP, true);
        StepResult r = Grader.training("6.01", mse, trainer(mse, 10));
        assertEquals(4, r.points(), r.report());
        assertTrue(item(r, "loss").contains("new OutputLayer.Builder(LossFunction.XENT)"), r.report());
        MultiLayerNetwork adam =
                net(List.of(new LastTimeStep(rnn(32).build())), 0.6, 32, LossFunction.XENT, new Adam(0.001), true);
        assertTrue(item(Grader.training("6.01", adam, trainer(adam, 10)), "optimizer")
                .contains("Adam"));
        MultiLayerNetwork eps =
                net(List.of(new LastTimeStep(rnn(32).build())), 0.6, 32, LossFunction.XENT, new RmsProp(0.001), true);
        assertTrue(item(Grader.training("6.01", eps, trainer(eps, 10)), "optimizer")
                .contains("Keras' RMSprop has ρ = 0.9 and ε = 1.0E-7"));
        MultiLayerNetwork ok = net(new LastTimeStep(rnn(32).build()));
        StepResult noBest = Grader.training(
                "6.01", ok, Trainer.of(ok).epochs(10).batchSize(128).validationSplit(0.2));
        assertTrue(item(noBest, "validation").contains("keepBestWeights(\"val_accuracy\")"), noBest.report());
    }

    @Test
    void resultsAreGradedInFullModeOnly() {
        assertEquals(2, Grader.results("6.01", 0.85, Mode.FULL).points());
        StepResult low = Grader.results("6.01", 0.70, Mode.FULL);
        assertEquals(0, low.points());
        assertTrue(low.feedback().contains("70.00 % is below 80 %"));
        StepResult quick = Grader.results("6.01", 0.55, Mode.QUICK);
        assertEquals(0, quick.maxPoints());
        assertTrue(quick.passed());
        assertEquals(0, Grader.results("6.01", Double.NaN, Mode.FULL).points());
    }

    @Test
    void airlineLayers() {
        Layer rnn = new SimpleRnn.Builder()
                .nIn(1)
                .nOut(64)
                .activation(Activation.TANH)
                .build();
        Layer lstm =
                new LSTM.Builder().nIn(1).nOut(64).activation(Activation.TANH).build();
        Layer gru = new GRU.Builder().nIn(1).nOut(64).build();
        assertEquals(3, Grader.layers("6.07", rnn, lstm, gru).points());
        StepResult r = Grader.layers(
                "6.07",
                rnn,
                new LSTM.Builder().nIn(1).nOut(32).activation(Activation.TANH).build(),
                null);
        assertEquals(1, r.points(), r.report());
        assertTrue(r.feedback().contains("`lstmLayer` has nIn(1), nOut(32)"), r.feedback());
        assertTrue(r.feedback().contains("`gruLayer` is null"), r.feedback());
        assertTrue(Grader.layers("6.07", lstm, lstm, gru)
                .feedback()
                .contains("`rnnLayer` is an LSTM; it should be a SimpleRnn"));
    }

    @Test
    void checkPrintsReportAndNeverThrows() {
        String out = captured(() -> {
            Check.model("6.01", null);
            Check.model("9.99", null);
            Check.hint("6.01", "model", 1);
            Check.hint("6.01", "nothing", 1);
            Check.solution("6.01", "model");
        });
        assertTrue(out.contains("Check 6.01 · model: 0/5"), out);
        assertTrue(out.contains("✗ layer types and order"), out);
        assertTrue(out.contains("there is no graded exercise \"9.99\""), out);
        assertTrue(out.contains("Hint 1 of 2 for 6.01 · model: The network has 5 layers"), out);
        assertTrue(out.contains("exercise 6.01 has no step \"nothing\""), out);
        assertTrue(
                out.contains("new LastTimeStep(new SimpleRnn.Builder()"),
                "the solution comes from the packed notebook:\n" + out);
    }

    @Test
    void everyStepWithCodeToWriteHasItsSolutionBeforeItsCheck() {
        for (ExerciseSpec e : Exercises.all()) {
            for (Step s : e.steps()) {
                String code = Solutions.before(
                        e.notebook(),
                        "Check." + s.name() + "(",
                        cell -> cell.matches("(?s)Check\\.(model|training|results|layers)\\(.*"));
                assertTrue(code != null, e.id() + " " + s.name() + ": no check cell in " + e.notebook());
                assertEquals(s.name().equals("results"), code.isEmpty(), e.id() + " " + s.name() + ":\n" + code);
            }
        }
        String training =
                Solutions.before("6.01-simple-rnn", "Check.training(", cell -> cell.startsWith("Check.model("));
        assertTrue(training.contains("trainer.epochs(10)") && !training.contains("Builder"), training);
    }

    @Test
    void partChecksNameWhatDiffersAndTheSolutionIsThePartsCode() {
        String out = captured(() -> {
            Check.part(
                    "6.01",
                    "embedding",
                    new EmbeddingSequenceLayer.Builder().nIn(8000).nOut(32).build());
            Check.part("6.01", "dropouts", new DropoutLayer(0.4), null);
            Check.part("6.01", "recurrent", rnn(32).build());
            Check.part(
                    "6.01",
                    "output",
                    new OutputLayer.Builder(LossFunction.MSE)
                            .nIn(32)
                            .nOut(1)
                            .activation(Activation.SIGMOID)
                            .build());
            Check.part("6.01", "optimizer", new RmsProp(0.001));
            Check.part("6.01", "wheels", 1);
            Check.solution("6.01", "recurrent");
        });
        assertTrue(out.contains("✓ Embedding(8000 → 32)"), out);
        assertTrue(out.contains("this is a Dropout; the exercise asks for a SpatialDropout1D"), out);
        assertTrue(out.contains("still null"), out);
        assertTrue(out.contains("passes on its whole sequence") || out.contains("wrap it, new LastTimeStep("), out);
        assertTrue(out.contains("its loss is"), out);
        assertTrue(out.contains("Keras' RMSprop has ρ = 0.9"), out);
        assertTrue(out.contains("there is no part \"wheels\""), out);
        String solution = out.substring(out.indexOf("Solution of 6.01 · recurrent"));
        assertTrue(
                solution.contains("new LastTimeStep(new SimpleRnn.Builder()") && !solution.contains("RmsProp"),
                solution);
        assertTrue(captured(() -> System.out.println(Check.ready(1, null, 2)))
                .contains("1 of the 3 parts above is still null"));
    }

    @Test
    void jsonCarriesPointsAndEscapes() {
        StepResult r = new StepResult("6.01", "model", List.of(CheckItem.fail("a \"b\"", 1, "line\nnext")));
        assertEquals(
                "{\"exercise\": \"6.01\", \"step\": \"model\", \"points\": 0, \"maxPoints\": 1, \"feedback\": \"a \\\"b\\\": line\\nnext\", "
                        + "\"items\": [{\"name\": \"a \\\"b\\\"\", \"points\": 0, \"maxPoints\": 1, \"feedback\": \"line\\nnext\"}]}",
                r.toJson());
        assertTrue(Exercises.plansJson(Mode.FULL)
                .contains("\"6.06\": {\"title\": \"Comparison of the five models\", \"steps\": []}"));
    }

    private static String captured(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
