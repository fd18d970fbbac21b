package org.rnnlab.grade;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The outcome of checking one step of an exercise (e.g. 6.01 "model"): its items, and the points
 * they add up to. {@link #report()} is what the learner sees, {@link #toJson()} the same as JSON.
 */
public record StepResult(String exercise, String step, List<CheckItem> items) {

    /** Copies the items so the record stays unmodifiable. */
    public StepResult {
        items = List.copyOf(items);
    }

    /** Points given. */
    public int points() {
        return items.stream().mapToInt(CheckItem::points).sum();
    }

    /** Points available. */
    public int maxPoints() {
        return items.stream().mapToInt(CheckItem::maxPoints).sum();
    }

    /** Whether every item passed. */
    public boolean passed() {
        return items.stream().allMatch(CheckItem::passed);
    }

    /**
     * The hints of the failed items, one line per distinct hint (items failing for the same reason share
     * a line); for an ungraded step its information; otherwise a short "all checks passed".
     */
    public String feedback() {
        Map<String, List<String>> byHint = new LinkedHashMap<>();
        for (CheckItem i : items) {
            if (!i.passed()) {
                byHint.computeIfAbsent(i.feedback(), k -> new ArrayList<>()).add(i.name());
            }
        }
        if (byHint.isEmpty()) {
            return maxPoints() == 0 && !items.isEmpty()
                    ? items.stream().map(i -> i.name() + ": " + i.feedback()).collect(Collectors.joining("\n"))
                    : "all checks passed";
        }
        return byHint.entrySet().stream()
                .map(e -> String.join(", ", e.getValue()) + ": " + e.getKey())
                .collect(Collectors.joining("\n"));
    }

    /** The report shown under a check cell: a ✓ or ✗ line per item, the score, and where more help is. */
    public String report() {
        StringBuilder b = new StringBuilder();
        b.append(
                maxPoints() == 0
                        ? String.format("Check %s · %s (not graded in this mode)%n", exercise, step)
                        : String.format("Check %s · %s: %d/%d%n", exercise, step, points(), maxPoints()));
        for (CheckItem i : items) {
            String mark = i.maxPoints() == 0 ? "·" : i.passed() ? "✓" : "✗";
            b.append(Wrap.lines(
                            String.format(
                                    "%s %s — %s", mark, i.name(), i.feedback().replace("\n", "\n    ")),
                            "    "))
                    .append('\n');
        }
        if (!passed() && step.startsWith("part ")) {
            String part = step.substring("part ".length());
            b.append(
                    Solutions.graded()
                            ? ""
                            : String.format(
                                    "Stuck? Check.solution(\"%s\", \"%s\") shows this part's code.%n", exercise, part));
        } else if (!passed()) {
            b.append(
                    Solutions.graded()
                            ? String.format("Stuck? Check.hint(\"%s\", \"%s\", 1) gives a hint.%n", exercise, step)
                            : String.format(
                                    "Stuck? Check.hint(\"%s\", \"%s\", 1) gives a hint, Check.solution(\"%s\", \"%s\") the solution.%n",
                                    exercise, step, exercise, step));
        }
        return b.toString();
    }

    /** One JSON object: exercise, step, points, maxPoints, feedback and the items. */
    public String toJson() {
        return String.format(
                Locale.ROOT,
                "{\"exercise\": %s, \"step\": %s, \"points\": %d, \"maxPoints\": %d, \"feedback\": %s, \"items\": [%s]}",
                quote(exercise),
                quote(step),
                points(),
                maxPoints(),
                quote(feedback()),
                itemsJson());
    }

    /** The items as the members of a JSON array: name, points, maxPoints and feedback of each. */
    String itemsJson() {
        return items.stream()
                .map(i -> String.format(
                        Locale.ROOT,
                        "{\"name\": %s, \"points\": %d, \"maxPoints\": %d, \"feedback\": %s}",
                        quote(i.name()),
                        i.points(),
                        i.maxPoints(),
                        quote(i.feedback())))
                .collect(Collectors.joining(", "));
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    @Override
    public String toString() {
        return report();
    }
}
