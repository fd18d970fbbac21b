package org.rnnlab.grade;

/**
 * One thing a check looked at, e.g. "layer types and order": the points it gave out of its maximum,
 * and what the learner reads — a hint naming what differs, or what was right.
 */
public record CheckItem(String name, int points, int maxPoints, String feedback) {

    /** A passed item worth {@code maxPoints}. */
    public static CheckItem pass(String name, int maxPoints, String feedback) {
        return new CheckItem(name, maxPoints, maxPoints, feedback);
    }

    /** A failed item worth {@code maxPoints}, with a hint. */
    public static CheckItem fail(String name, int maxPoints, String hint) {
        return new CheckItem(name, 0, maxPoints, hint);
    }

    /** An item that only informs (worth nothing), e.g. a result that is graded in full mode only. */
    public static CheckItem info(String name, String feedback) {
        return new CheckItem(name, 0, 0, feedback);
    }

    /** Whether the item got all its points (an information-only item counts as passed). */
    public boolean passed() {
        return points == maxPoints;
    }
}
