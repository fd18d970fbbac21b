package org.rnnlab.grade;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.rnnlab.Mode;
import org.rnnlab.data.Imdb;
import org.rnnlab.data.ImdbSplit;
import org.rnnlab.eval.BinaryReport;
import org.rnnlab.text.Sequences;
import org.rnnlab.text.Tokenizer;
import org.rnnlab.train.Predictor;
import org.rnnlab.train.Trainer;
import org.rnnlab.train.TrainingSettings;

/**
 * Grades the steps of an exercise from the objects a notebook built and returns the results; used by
 * the check cells ({@link Check}) and by the autograder ({@link TrustedGrade}) alike, so both give the
 * same points and hints.
 */
public final class Grader {

    private Grader() {}

    /** The graded exercise {@code id}, or an exception naming the graded ones. */
    public static ExerciseSpec exercise(String id) {
        return Exercises.find(id)
                .orElseThrow(() ->
                        new IllegalArgumentException("there is no graded exercise \"" + id + "\"; the graded ones are "
                                + Exercises.all().stream().map(ExerciseSpec::id).collect(Collectors.joining(", "))));
    }

    /** The network's layers against the exercise's. */
    public static StepResult model(String exercise, MultiLayerNetwork model) {
        return ModelChecks.check(exercise(exercise), model);
    }

    /** Loss, optimizer, epochs, batch size and validation split against the exercise's. */
    public static StepResult training(String exercise, MultiLayerNetwork model, Trainer trainer) {
        return trainingSettings(exercise, model, trainer == null ? null : trainer.settings());
    }

    /**
     * Loss and optimizer (from the network) and a trainer's settings (null: there is no trainer) against the
     * exercise's; gives the same result as {@link #training(String, MultiLayerNetwork, Trainer)} for a trainer
     * with these settings.
     */
    public static StepResult trainingSettings(String exercise, MultiLayerNetwork model, TrainingSettings settings) {
        return TrainingChecks.check(exercise(exercise), model, settings);
    }

    /** A test accuracy (NaN: none yet) against the exercise's floor; graded in full mode only. */
    public static StepResult results(String exercise, double accuracy, Mode mode) {
        return ResultChecks.check(exercise(exercise), accuracy, mode);
    }

    /** The test accuracy of a report (null: none yet) against the exercise's floor, in the current mode. */
    public static StepResult results(String exercise, BinaryReport report) {
        return results(exercise, report == null ? Double.NaN : report.accuracy(), Mode.current());
    }

    /** Measures the model's test accuracy itself, then checks it against the floor, in the current mode. */
    public static StepResult results(String exercise, MultiLayerNetwork model, int[][] xTest, int[] yTest) {
        return results(exercise, model, xTest, yTest, Mode.current());
    }

    /** Measures the model's test accuracy itself, then checks it against the floor, in {@code mode}. */
    public static StepResult results(String exercise, MultiLayerNetwork model, int[][] xTest, int[] yTest, Mode mode) {
        double accuracy = Double.NaN;
        if (model != null && xTest != null && yTest != null && xTest.length == yTest.length && xTest.length > 0) {
            try {
                accuracy =
                        BinaryReport.of(Predictor.predict(model, xTest), yTest).accuracy();
            } catch (RuntimeException e) {
                accuracy = Double.NaN;
            }
        }
        return results(exercise, accuracy, mode);
    }

    /**
     * Measures the model's accuracy on the test reviews loaded here (the current mode's: the sample in quick
     * mode, all 25,000 in full mode), turned into sequences by the notebook's tokenizer, so that nothing the
     * notebook did to its own test data changes the grade; then checks it against the floor.
     */
    public static StepResult resultsOnTestData(String exercise, MultiLayerNetwork model, Tokenizer tokenizer) {
        return resultsOnTestData(exercise, model, tokenizer, Mode.current());
    }

    /** As {@link #resultsOnTestData(String, MultiLayerNetwork, Tokenizer)}, with the test reviews and the grading of {@code mode}. */
    public static StepResult resultsOnTestData(
            String exercise, MultiLayerNetwork model, Tokenizer tokenizer, Mode mode) {
        if (model == null || tokenizer == null) {
            return results(exercise, Double.NaN, mode);
        }
        ImdbSplit test = Imdb.load(mode).test();
        int[][] x = Sequences.padSequences(tokenizer.textsToSequences(test.texts()), Exercises.MAX_LEN);
        return results(exercise, model, x, test.labels(), mode);
    }

    /** Stand-alone recurrent layers (6.07: SimpleRnn, LSTM, GRU) against the exercise's. */
    public static StepResult layers(String exercise, Layer... layers) {
        ExerciseSpec spec = exercise(exercise);
        List<String> names = spec.step("layers")
                .map(Step::objects)
                .orElseThrow(() -> new IllegalArgumentException("exercise " + exercise + " has no layers step"));
        return LayerChecks.check(spec, names, Arrays.asList(layers));
    }
}
