package org.rnnlab.grade;

import java.util.List;

/**
 * A graded step of an exercise: its name (what {@code Check.<name>} checks; its solution is what the
 * solution notebook writes between the previous graded check and this one), the points it is worth in
 * full mode, the Java call the autograder runs for it (with the notebook's variable names), and the
 * hints a stuck learner can ask for, gentlest first.
 */
public record Step(String name, int maxPoints, String autogradeCall, List<String> hints) {

    /** Copies the hints so the record stays unmodifiable. */
    public Step {
        hints = List.copyOf(hints);
    }

    /** The autograder's call for {@code exercise}, with the run's {@code nonce} filled in. */
    public String autogradeCall(String exercise, String nonce) {
        return autogradeCall.replace("{exercise}", exercise).replace("{nonce}", nonce);
    }
}
