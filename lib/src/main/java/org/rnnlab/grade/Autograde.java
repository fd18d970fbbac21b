package org.rnnlab.grade;

import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.rnnlab.Mode;
import org.rnnlab.text.Tokenizer;
import org.rnnlab.train.Trainer;

/**
 * The autograder's side inside a submission's kernel: after the submission has run, the grader
 * (tools/grader.py) runs one call per step, and each prints one line {@code RNNLAB-GRADE <nonce> <json>}
 * with the step's result. The nonce is new for every run, so no output a submission prints can pass
 * for a grade. {@code main} prints every exercise's steps (names, points, calls) as JSON for the grader.
 */
public final class Autograde {

    /** Marks the lines the grader reads. */
    public static final String MARK = "RNNLAB-GRADE";

    private Autograde() {}

    /** Grades the network. */
    public static void model(String exercise, String nonce, MultiLayerNetwork model) {
        emit(nonce, exercise, "model", () -> Grader.model(exercise, model));
    }

    /** Grades the training set-up. */
    public static void training(String exercise, String nonce, MultiLayerNetwork model, Trainer trainer) {
        emit(nonce, exercise, "training", () -> Grader.training(exercise, model, trainer));
    }

    /** Grades the test accuracy, measured here on test reviews this method loads (the notebook's own test data plays no part). */
    public static void results(String exercise, String nonce, MultiLayerNetwork model, Tokenizer tokenizer) {
        emit(nonce, exercise, "results", () -> Grader.resultsOnTestData(exercise, model, tokenizer));
    }

    /** Grades stand-alone recurrent layers. */
    public static void layers(String exercise, String nonce, Layer rnnLayer, Layer lstmLayer, Layer gruLayer) {
        emit(nonce, exercise, "layers", () -> Grader.layers(exercise, rnnLayer, lstmLayer, gruLayer));
    }

    private static void emit(String nonce, String exercise, String step, Supplier<StepResult> grade) {
        StepResult r;
        try {
            r = grade.get();
        } catch (RuntimeException e) {
            r = new StepResult(exercise, step, List.of(CheckItem.fail("grading", 1, "could not be graded: " + e)));
        }
        System.out.println(MARK + " " + nonce + " " + r.toJson());
        System.out.flush();
    }

    /** Prints every exercise's steps as JSON (for the mode in {@code RNNLAB_MODE}, or the one given as argument). */
    public static void main(String[] args) {
        Mode mode = args.length > 0 ? Mode.parse(args[0]) : Mode.current();
        System.out.println(Exercises.plansJson(mode));
    }
}
