package org.rnnlab.grade;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the solution of a "Code it!" step from the solution notebooks packed into the library: the
 * lines between {@code // BEGIN SOLUTION} and {@code // END SOLUTION}, in notebook order.
 */
final class Solutions {

    private Solutions() {
    }

    /** The code of solution region {@code region} (0 = first) of {@code notebook}, or null if the notebook or region is missing. */
    static String region(String notebook, int region) {
        List<String> regions = regions(notebook);
        return region >= 0 && region < regions.size() ? regions.get(region) : null;
    }

    /** Every solution region of a packed solution notebook, in order (empty if the notebook is not packed). */
    static List<String> regions(String notebook) {
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
                StringBuilder region = null;
                for (String line : source.toString().split("\n", -1)) {
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
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
