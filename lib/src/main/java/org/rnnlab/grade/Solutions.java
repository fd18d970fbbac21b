package org.rnnlab.grade;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Reads the solution of a "Code it!" step from the solution notebooks packed into the library: the
 * lines between {@code // BEGIN SOLUTION} and {@code // END SOLUTION}, in notebook order. The graded
 * build of the library ({@code RNNLAB_GRADED=1 ./lab setup}) leaves the notebooks out and carries the
 * marker {@link #GRADED_MARKER} instead.
 */
final class Solutions {

    /** Class-path resource present only in the graded build. */
    static final String GRADED_MARKER = "/org/rnnlab/graded-build.txt";

    private Solutions() {}

    /** Whether this is the graded build of the library: no solutions, no reference networks. */
    static boolean graded() {
        return Solutions.class.getResource(GRADED_MARKER) != null;
    }

    /** What a learner reads when asking the graded build for a solution. */
    static String withheld() {
        return "Solutions are not part of this course library: it is the graded build, which leaves them out while "
                + "assignments are graded. The ✗ lines of the check name what differs; your instructor releases the "
                + "solutions after the deadline.";
    }

    /**
     * The solution of the step that the check cell starting with {@code checkCall} checks: the regions of the
     * cells after the previous check cell that {@code delimiter} accepts, joined (null if the notebook is not
     * packed or has no such cell; empty if the step has nothing to write).
     */
    static String before(String notebook, String checkCall, java.util.function.Predicate<String> delimiter) {
        StringBuilder since = new StringBuilder();
        for (String source : codeCells(notebook)) {
            String cell = source.strip();
            if (cell.startsWith(checkCall)) {
                return since.toString();
            }
            if (delimiter.test(cell)) {
                since.setLength(0);
            }
            for (String region : regionsOf(source)) {
                since.append(since.length() > 0 ? "\n" : "").append(region);
            }
        }
        return null;
    }

    private static List<String> regionsOf(String source) {
        List<String> out = new ArrayList<>();
        StringBuilder region = null;
        for (String line : source.split("\n", -1)) {
            if (line.strip().startsWith("// BEGIN SOLUTION")) {
                region = new StringBuilder();
            } else if (line.strip().startsWith("// END SOLUTION")) {
                if (region != null) {
                    out.add(region.toString());
                }
                region = null;
            } else if (region != null) {
                region.append(line).append('\n');
            }
        }
        return out;
    }

    private static List<String> codeCells(String notebook) {
        List<String> out = new ArrayList<>();
        try (InputStream in = Solutions.class.getResourceAsStream("/org/rnnlab/solutions/" + notebook + ".ipynb")) {
            if (in == null) {
                return out;
            }
            JsonNode nb = new ObjectMapper().readTree(in);
            for (JsonNode cell : nb.path("cells")) {
                if (!"code".equals(cell.path("cell_type").asText())) {
                    continue;
                }
                StringBuilder source = new StringBuilder();
                JsonNode src = cell.path("source");
                if (src.isArray()) {
                    src.forEach(line -> source.append(line.asText()));
                } else {
                    source.append(src.asText());
                }
                out.add(source.toString());
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
