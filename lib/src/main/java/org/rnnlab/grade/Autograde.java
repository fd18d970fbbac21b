package org.rnnlab.grade;

import org.rnnlab.Mode;

/**
 * Prints the autograder's plan: every exercise's steps, their points, the notebook objects each grades,
 * and the cell that hands an object over (see {@link Exercises#plansJson}). Grading itself happens
 * outside the learner's kernel, in {@link TrustedGrade}; nothing a submission prints counts.
 */
public final class Autograde {

    private Autograde() {}

    /** Prints every exercise's steps as JSON (for the mode in {@code RNNLAB_MODE}, or the one given as argument). */
    public static void main(String[] args) {
        Mode mode = args.length > 0 ? Mode.parse(args[0]) : Mode.current();
        System.out.println(Exercises.plansJson(mode));
    }
}
