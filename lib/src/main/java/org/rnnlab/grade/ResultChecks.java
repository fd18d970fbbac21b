package org.rnnlab.grade;

import java.util.List;
import java.util.Locale;
import org.rnnlab.Mode;

/**
 * Checks a trained sentiment model's test accuracy against the exercise's floor. Graded in full
 * mode only: quick mode trains two epochs on a small sample, too little to judge a model by.
 */
final class ResultChecks {

    /** Points of the results step in full mode. */
    static final int POINTS = 2;

    private ResultChecks() {}

    static StepResult check(ExerciseSpec spec, double accuracy, Mode mode) {
        String name = "test accuracy";
        CheckItem item;
        if (Double.isNaN(accuracy)) {
            String hint = "there is no test accuracy yet: train the model and evaluate it on the test reviews first.";
            item = mode == Mode.FULL
                    ? CheckItem.fail(name, POINTS, hint)
                    : CheckItem.info(name, hint + " (graded in full mode only)");
        } else {
            String measured = String.format(Locale.ROOT, "%.2f %%", 100 * accuracy);
            String floor = String.format(Locale.ROOT, "%.0f %%", 100 * spec.accuracyFloor());
            if (mode != Mode.FULL) {
                item = CheckItem.info(
                        name,
                        measured + " in quick mode; graded in full mode only, where it should reach " + floor + ".");
            } else if (accuracy >= spec.accuracyFloor()) {
                item = CheckItem.pass(name, POINTS, measured + ", at least " + floor);
            } else {
                item = CheckItem.fail(
                        name,
                        POINTS,
                        measured + " is below " + floor + ": run the model and training checks, "
                                + "and evaluate the weights of the best validation epoch (trainer.restoreBestWeights()).");
            }
        }
        return new StepResult(spec.id(), "results", List.of(item));
    }
}
