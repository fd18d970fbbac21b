package org.rnnlab.grade;

import java.util.List;

/**
 * A graded step of an exercise: its name (what {@code Check.<name>} checks; its solution is what the
 * solution notebook writes between the previous graded check and this one), the points it is worth in
 * full mode, the names of the notebook objects it grades (in the order its check takes them; the
 * autograder hands over exactly these), and the hints a stuck learner can ask for, gentlest first.
 */
public record Step(String name, int maxPoints, List<String> objects, List<String> hints) {

    /** Copies the lists so the record stays unmodifiable. */
    public Step {
        objects = List.copyOf(objects);
        hints = List.copyOf(hints);
    }
}
