package org.rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.rnnlab.Mode;
import org.rnnlab.data.SequenceDataset;

class TrainerTest {

    /** Sequences whose label is whether token 1 ("good") occurs more often than token 2 ("bad"). */
    private static SequenceDataset toyReviews(int n, long seed) {
        Random r = new Random(seed);
        int[][] x = new int[n][12];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int t = 0; t < 12; t++) {
                x[i][t] = 3 + r.nextInt(17);
            }
            for (int k = 0; k < 4; k++) {
                x[i][4 + 2 * k] = y[i] == 1 ? 1 : 2;
            }
        }
        return SequenceDataset.of(x, y);
    }

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private Trainer trainer(MultiLayerNetwork net) {
        return Trainer.of(net)
                .output(new PrintStream(log, true))
                .mode(Mode.FULL)
                .runSeed(null);
    }

    @Test
    void learnsAndRecordsKerasMetricsPerEpoch() {
        MultiLayerNetwork net = Nets.simpleRnn(20, 12, 0.01);
        History h = trainer(net).epochs(8).batchSize(32).validationSplit(0.25).fit(toyReviews(400, 1));
        assertEquals(8, h.epochCount());
        assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy"), h.keys());
        assertTrue(h.last("loss") < h.get("loss")[0], "training loss falls: " + h.toTable());
        assertTrue(h.last("val_accuracy") > 0.9, "the toy task is learnt: " + h.toTable());
        String out = log.toString();
        assertTrue(out.contains("Train on 300 samples, validate on 100 samples"), out);
        assertTrue(out.contains("Epoch 8/8"), out);
        assertTrue(out.contains("10/10 [====================]"), out);
        assertTrue(out.contains("val_accuracy: "), out);
        assertEquals(8, h.toTable().rowCount());
        assertEquals(6, h.toTable().columnCount());
    }

    @Test
    void aTrainerShowsItsSettingsInWords() {
        Trainer t =
                Trainer.of(null).epochs(10).batchSize(128).validationSplit(0.2).keepBestWeights("val_accuracy");
        assertEquals(
                "Trainer: 10 epochs, batches of 128, the last 20 % held out for validation, "
                        + "keeps the weights of the best val_accuracy epoch",
                t.toString());
        assertEquals(
                "Trainer: 1 epoch, batches of 32, no validation",
                Trainer.of(null).toString());
    }

    @Test
    void callbacksHearTheStartAndEveryEpochWithTheHistorySoFar() {
        List<String> heard = new java.util.ArrayList<>();
        Callback callback = new Callback() {
            @Override
            public void onTrainBegin(int epochs) {
                heard.add("begin " + epochs);
            }

            @Override
            public void onEpochEnd(History soFar) {
                heard.add("epoch " + soFar.epochCount() + " " + soFar.keys());
            }
        };
        MultiLayerNetwork net = Nets.simpleRnn(20, 12, 0.01);
        trainer(net)
                .epochs(3)
                .batchSize(50)
                .validationSplit(0.2)
                .callbacks(callback)
                .fit(toyReviews(100, 3));
        assertEquals(
                List.of(
                        "begin 3",
                        "epoch 1 [loss, accuracy, val_loss, val_accuracy]",
                        "epoch 2 [loss, accuracy, val_loss, val_accuracy]",
                        "epoch 3 [loss, accuracy, val_loss, val_accuracy]"),
                heard);
    }

    @Test
    void validationMetricsAreTheInferenceModeMetricsOfTheHeldOutPart() {
        MultiLayerNetwork net = Nets.simpleRnn(20, 12, 0.01);
        SequenceDataset data = toyReviews(200, 2);
        History h = trainer(net).epochs(2).batchSize(50).validationSplit(0.2).fit(data);
        SequenceDataset val = data.split(0.2).validation();
        float[] p = Predictor.predict(net, val);
        int right = 0;
        for (int i = 0; i < p.length; i++) {
            right += (p[i] > 0.5) == (val.labels()[i] > 0.5) ? 1 : 0;
        }
        assertEquals((double) right / p.length, h.last("val_accuracy"), 1e-12);
        assertEquals(OutputKind.BINARY.loss(p, val.labels(), 1), h.last("val_loss"), 1e-9);
    }

    @Test
    void trainingAccuracyComesFromTheSameForwardPassAsTheLoss() {
        // With dropout switched off and a learning rate of 0 the batch outputs are the inference outputs,
        // so the recorded accuracy must equal the accuracy of a separate prediction.
        MultiLayerNetwork net = Nets.simpleRnn(20, 12, 0.0);
        net.getLayerWiseConfigurations().getConf(1).getLayer().setIDropout(null);
        net.getLayerWiseConfigurations().getConf(3).getLayer().setIDropout(null);
        SequenceDataset data = toyReviews(100, 3);
        History h = trainer(net).epochs(1).batchSize(100).shuffleSeed(null).fit(data);
        float[] p = Predictor.predict(net, data);
        assertEquals(OutputKind.BINARY.metric(p, data.labels(), 1), h.last("accuracy"), 1e-12);
    }

    @Test
    void quickModeTrainsTheRequestedEpochsAndRecordsItsMode() {
        // Quick mode only makes the data smaller (the shipped sample): the exercise's own epochs run.
        History h = Trainer.of(Nets.simpleRnn(20, 12, 0.01))
                .output(new PrintStream(log, true))
                .mode(Mode.QUICK)
                .epochs(5)
                .batchSize(64)
                .fit(toyReviews(64, 4));
        assertEquals(5, h.epochCount());
        assertEquals(5, h.requestedEpochs());
        assertEquals(Mode.QUICK, h.mode());
        assertFalse(log.toString().contains("epochs on a small sample"), log.toString());
    }

    @Test
    void anEpochCapFromTheEnvironmentShortensTrainingAndSaysSo() {
        History h = Trainer.of(Nets.simpleRnn(20, 12, 0.01))
                .output(new PrintStream(log, true))
                .mode(Mode.FULL)
                .maxEpochs(EpochCap.of(Map.of(EpochCap.ENV, " 3 ")))
                .epochs(10)
                .batchSize(64)
                .fit(toyReviews(64, 4));
        assertEquals(3, h.epochCount());
        assertEquals(10, h.requestedEpochs());
        assertTrue(
                log.toString().contains("Training 3 of the 10 epochs: RNNLAB_MAX_EPOCHS=3 caps them."), log.toString());
        assertTrue(EpochCap.of(Map.of()).isEmpty());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> EpochCap.of(Map.of(EpochCap.ENV, "0")));
        assertTrue(
                e.getMessage().contains("RNNLAB_MAX_EPOCHS must be a whole number of epochs, at least 1"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EpochCap.of(Map.of(EpochCap.ENV, "two")));
    }

    @Test
    void aMissingModelGetsAHintNotAStackTrace() {
        History h = trainer(null).epochs(3).fit(new int[][] {{1}}, new int[] {1});
        assertTrue(h.isEmpty());
        assertTrue(log.toString().contains("no model to train yet"), log.toString());
    }

    @Test
    void keepsAndRestoresTheBestEpochsWeights() {
        MultiLayerNetwork net = Nets.simpleRnn(20, 12, 0.01);
        Trainer t = trainer(net).epochs(6).batchSize(32).validationSplit(0.25).earlyStopping("val_loss", 2, true);
        History h = t.fit(toyReviews(200, 5));
        BestWeights best = t.bestWeights();
        assertEquals(h.bestEpoch("val_loss"), best.epoch());
        assertEquals(h.get("val_loss")[best.epoch() - 1], best.value(), 0.0);
        assertEquals(best.params(), net.params(), "after training the model holds the best weights");
    }

    @Test
    void earlyStoppingStopsAfterPatienceEpochsWithoutImprovement() {
        // A learning rate of 0 never improves val_loss after the first epoch: stop at epoch 1 + patience.
        Trainer t = trainer(Nets.simpleRnn(20, 12, 0.0))
                .epochs(10)
                .batchSize(50)
                .validationSplit(0.2)
                .earlyStopping("val_loss", 2, false);
        History h = t.fit(toyReviews(100, 6));
        assertEquals(3, h.epochCount());
        assertTrue(log.toString().contains("Epoch 3: early stopping"), log.toString());
    }

    @Test
    void monitoringAnUnknownMetricIsExplained() {
        Trainer t = trainer(Nets.simpleRnn(20, 12, 0.01)).epochs(1).keepBestWeights("val_accuracy");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> t.fit(toyReviews(40, 7)));
        assertTrue(e.getMessage().contains("set a validationSplit"), e.getMessage());
    }

    @Test
    void historyPicksTheBestEpoch() {
        History h = new History(
                List.of(
                        java.util.Map.of("val_accuracy", 0.7, "val_loss", 0.5),
                        java.util.Map.of("val_accuracy", 0.9, "val_loss", 0.4),
                        java.util.Map.of("val_accuracy", 0.8, "val_loss", 0.3)),
                List.of(1.0, 2.0, 3.0),
                3,
                Mode.FULL);
        assertEquals(2, h.bestEpoch("val_accuracy"));
        assertEquals(3, h.bestEpoch("val_loss"));
        assertEquals(6.0, h.totalSeconds());
    }
}
