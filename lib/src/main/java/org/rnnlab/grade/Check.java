package org.rnnlab.grade;

import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.rnnlab.eval.BinaryReport;
import org.rnnlab.text.Tokenizer;
import org.rnnlab.train.Trainer;

/**
 * The check cells of the exercise notebooks: each prints a ✓ or ✗ line per item with a hint naming
 * what differs, and never throws at the learner. {@link #hint} gives further hints, {@link #solution}
 * the solution of a step. A check's value is nothing (null) for the learner; under nbgrader
 * (environment variable {@code NBGRADER_EXECUTION}) it is the step's points, as a learner validating a
 * notebook expects to see them. No grader takes points from a check cell: both grade the objects the
 * submission hands over ({@link Handover}) in a separate JVM ({@link TrustedGrade}).
 *
 * <pre>{@code
 * Check.model("6.01", model);
 * Check.training("6.01", model, trainer);
 * Check.hint("6.01", "model", 1);
 * }</pre>
 */
public final class Check {

    private Check() {}

    /** Checks the network built in the "Code it!" cell. */
    public static Double model(String exercise, MultiLayerNetwork model) {
        return show(() -> Grader.model(exercise, model));
    }

    /** Checks the loss, the optimizer and the trainer's settings. */
    public static Double training(String exercise, MultiLayerNetwork model, Trainer trainer) {
        return show(() -> Grader.training(exercise, model, trainer));
    }

    /** Checks the test accuracy of an evaluation (graded in full mode only). */
    public static Double results(String exercise, BinaryReport report) {
        return show(() -> Grader.results(exercise, report));
    }

    /**
     * Checks the test accuracy of the model measured here, on test reviews loaded here through the notebook's
     * tokenizer (the notebook's own test data plays no part): the hidden test of an nbgrader course.
     */
    public static Double resultsOnTestData(String exercise, MultiLayerNetwork model, Tokenizer tokenizer) {
        return show(() -> Grader.resultsOnTestData(exercise, model, tokenizer));
    }

    /** Checks stand-alone recurrent layers (6.07: SimpleRnn, LSTM, GRU). */
    public static Double layers(String exercise, Layer rnnLayer, Layer lstmLayer, Layer gruLayer) {
        return show(() -> Grader.layers(exercise, rnnLayer, lstmLayer, gruLayer));
    }

    /** Prints hint {@code level} (1 = gentlest) of a step. */
    public static void hint(String exercise, String step, int level) {
        try {
            Step s = step(exercise, step);
            List<String> hints = s.hints();
            int n = Math.max(1, Math.min(level, hints.size()));
            System.out.println(Wrap.lines(
                    String.format("Hint %d of %d for %s · %s: %s", n, hints.size(), exercise, step, hints.get(n - 1)),
                    "    "));
            if (n < hints.size()) {
                System.out.printf("More: Check.hint(\"%s\", \"%s\", %d).%n", exercise, step, n + 1);
            } else if (Solutions.graded()) {
                System.out.println(
                        "That was the last hint. This is a graded assignment: solutions are released after the deadline.");
            } else {
                System.out.printf("Still stuck? Check.solution(\"%s\", \"%s\") shows the solution.%n", exercise, step);
            }
        } catch (IllegalArgumentException e) {
            System.out.println("⚠ " + e.getMessage());
        }
    }

    /**
     * Prints the solution of a step ("model", "training", …) or of a part of the network ("embedding",
     * "dropouts", "recurrent", "output", "optimizer"), as the solution notebook writes it (the graded build says it has none).
     */
    public static void solution(String exercise, String step) {
        try {
            ExerciseSpec spec = Grader.exercise(exercise);
            boolean part = PartChecks.PARTS.contains(step) && spec.step(step).isEmpty();
            Step s = part ? null : step(exercise, step);
            if (Solutions.graded()) {
                System.out.println(Solutions.withheld());
                return;
            }
            String code = part
                    ? Solutions.before(
                            spec.notebook(),
                            "Check.part(\"" + exercise + "\", \"" + step + "\"",
                            cell -> cell.startsWith("Check."))
                    : Solutions.before(spec.notebook(), "Check." + step + "(", Check::gradedCheck);
            if (code == null) {
                System.out.println(
                        "⚠ the solution notebook " + spec.notebook() + " has no check cell for \"" + step + "\".");
            } else if (code.isEmpty()) {
                System.out.printf(
                        "Step \"%s\" has no code to write: %s%n",
                        step, s == null ? "" : s.hints().get(0));
            } else {
                System.out.printf(
                        "Solution of %s · %s (from notebooks/solutions/%s.ipynb):%n%n%s",
                        exercise, step, spec.notebook(), code);
            }
        } catch (IllegalArgumentException e) {
            System.out.println("⚠ " + e.getMessage());
        }
    }

    /**
     * Checks one part of the network before it is assembled — "embedding", "dropouts" (spatial, then plain),
     * "recurrent", "output" or "optimizer" — and prints a ✓ or ✗ per object; gives no points (the model check
     * grades the assembled network).
     */
    public static void part(String exercise, String part, Object... values) {
        try {
            System.out.print(PartChecks.check(Grader.exercise(exercise), part, java.util.Arrays.asList(values))
                    .report());
        } catch (RuntimeException e) {
            System.out.println("⚠ " + e.getMessage());
        }
    }

    /** Whether every part is built (none is null); otherwise prints how many "Code it!" cells above are still open. */
    public static boolean ready(Object... parts) {
        long missing =
                java.util.Arrays.stream(parts).filter(java.util.Objects::isNull).count();
        if (missing > 0) {
            System.out.printf(
                    "⚠ %d of the %d parts above %s still null: complete their \"Code it!\" cells, then run this cell again.%n",
                    missing, parts.length, missing == 1 ? "is" : "are");
        }
        return missing == 0;
    }

    private static boolean gradedCheck(String cell) {
        return cell.matches("(?s)Check\\.(model|training|results|layers)\\(.*");
    }

    private static Step step(String exercise, String step) {
        ExerciseSpec spec = Grader.exercise(exercise);
        return spec.step(step)
                .orElseThrow(() -> new IllegalArgumentException(
                        "exercise " + exercise + " has no step \"" + step + "\"; its steps are "
                                + spec.steps().stream().map(Step::name).toList()));
    }

    private static Double show(Supplier<StepResult> check) {
        boolean nbgrader = System.getenv("NBGRADER_EXECUTION") != null;
        StepResult r;
        try {
            r = check.get();
        } catch (RuntimeException e) {
            System.out.println("⚠ The check could not run: " + e.getMessage());
            return nbgrader ? 0.0 : null;
        }
        System.out.print(r.report());
        return nbgrader ? (double) r.points() : null;
    }
}
