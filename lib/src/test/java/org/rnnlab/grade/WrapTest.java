package org.rnnlab.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WrapTest {

    @Test
    void breaksLongLinesAtSpacesAndIndentsTheRest() {
        String hint =
                "✗ dropout — layer 4 (Dropout) keeps 40 % of the values. DL4J's dropout takes the probability of keeping a unit: "
                        + "0.6 for the exercise's 0.4, and val_accuracy is one word.";
        String wrapped = Wrap.lines(hint, "    ");
        for (String line : wrapped.split("\n")) {
            assertTrue(line.length() <= Wrap.WIDTH, line);
        }
        assertTrue(wrapped.split("\n").length >= 2, wrapped);
        assertTrue(wrapped.split("\n")[1].startsWith("    "), wrapped);
        assertEquals(hint, wrapped.replace("\n    ", " "));
    }

    @Test
    void leavesShortLinesAndWordsLongerThanALineAlone() {
        assertEquals(
                "✓ loss — binary cross-entropy (XENT)", Wrap.lines("✓ loss — binary cross-entropy (XENT)", "    "));
        String word = "x".repeat(150);
        assertEquals(word, Wrap.lines(word, "    "));
    }
}
