package org.rnnlab.grade;

/**
 * Breaks the lines the checks print at spaces, so that a notebook's output area never has to break a
 * long hint in the middle of a word; continuation lines are indented under the item they belong to.
 */
final class Wrap {

    /** The widest line a check prints (a notebook's output area shows about 110 characters). */
    static final int WIDTH = 100;

    private Wrap() {}

    /** {@code text} with every line longer than {@link #WIDTH} broken at spaces, continuations indented by {@code indent}. */
    static String lines(String text, String indent) {
        StringBuilder out = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            if (n > 0) {
                out.append('\n');
            }
            String line = lines[n];
            String prefix = "";
            while (prefix.length() + line.length() > WIDTH) {
                int cut = line.lastIndexOf(' ', WIDTH - prefix.length());
                if (cut <= 0) {
                    cut = line.indexOf(' ', WIDTH - prefix.length());
                    if (cut < 0) {
                        break;
                    }
                }
                out.append(prefix).append(line, 0, cut).append('\n');
                line = line.substring(cut + 1);
                prefix = indent;
            }
            out.append(prefix).append(line);
        }
        return out.toString();
    }
}
