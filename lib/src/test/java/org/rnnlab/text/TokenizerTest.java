package org.rnnlab.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenizerTest {

    // Counts: the 3, cat 2, sat 2, on 1, mat 1, dog 2, a 2 (first seen in that order).
    private static final List<String> CORPUS = List.of("The cat sat on the mat.", "The dog sat!", "A cat, a dog.");

    @Test
    void ranksWordsByCountWithTiesInFirstSeenOrder() {
        Tokenizer t = new Tokenizer(null, null).fitOnTexts(CORPUS);
        Map<String, Integer> expected = new LinkedHashMap<>();
        String[] order = {"the", "cat", "sat", "dog", "a", "on", "mat"};
        for (int i = 0; i < order.length; i++) {
            expected.put(order[i], i + 1);
        }
        assertEquals(expected, t.wordIndex());
        assertEquals(
                List.of("the", "cat", "sat", "on", "mat", "dog", "a"),
                new ArrayList<>(t.wordCounts().keySet()));
        assertEquals(3, t.wordCounts().get("the"));
        assertEquals(2, t.wordDocs().get("the"));
        assertEquals(3, t.documentCount());
    }

    @Test
    void numWordsKeepsOnlyIndicesBelowIt() {
        Tokenizer t = new Tokenizer(4).fitOnTexts(CORPUS);
        // "and" is unknown, "dog" has index 4: both dropped.
        assertArrayEquals(new int[] {1, 2, 1}, t.textToSequence("the cat and the dog"));
        assertEquals(7, t.wordIndex().size(), "numWords does not shrink the word index");
        assertEquals(4, t.vocabularySize());
    }

    @Test
    void oovTokenTakesIndexOneAndReplacesUnknownAndRareWords() {
        Tokenizer t = new Tokenizer(4, "<OOV>").fitOnTexts(CORPUS);
        assertEquals(1, t.wordIndex().get("<OOV>"));
        assertEquals(2, t.wordIndex().get("the"));
        assertEquals(5, t.wordIndex().get("dog"));
        assertArrayEquals(new int[] {2, 3, 1, 2, 1}, t.textToSequence("the cat and the dog"));
    }

    @Test
    void sequencesToTextsMapsBackAndMarksUnknownIndices() {
        Tokenizer plain = new Tokenizer(4).fitOnTexts(CORPUS);
        assertEquals(List.of("the cat sat"), plain.sequencesToTexts(List.of(new int[] {1, 2, 3, 4, 0, 99})));
        Tokenizer oov = new Tokenizer(4, "<OOV>").fitOnTexts(CORPUS);
        assertEquals(List.of("the cat <OOV> <OOV>"), oov.sequencesToTexts(List.of(new int[] {2, 3, 5, 99})));
    }

    @Test
    void anOovTokenThatIsAlsoAWordKeepsTheWordsIndexAsKerasDoes() {
        Tokenizer t = new Tokenizer(null, "cat").fitOnTexts(CORPUS);
        // Keras builds dict(zip(["cat", "the", "cat", ...], 1..)): the later index wins, index 1 is left unused.
        assertEquals(3, t.wordIndex().get("cat"));
        assertEquals(2, t.wordIndex().get("the"));
        assertTrue(!t.indexWord().containsKey(1));
    }

    @Test
    void emptyTextsGiveEmptySequences() {
        Tokenizer t = new Tokenizer(10).fitOnTexts(List.of("", "word"));
        assertArrayEquals(new int[0], t.textToSequence(""));
        assertEquals(2, t.documentCount());
    }

    @Test
    void fittingAgainAccumulatesCounts() {
        Tokenizer t = new Tokenizer(null, null).fitOnTexts(List.of("b a")).fitOnTexts(List.of("a"));
        assertEquals(1, t.wordIndex().get("a"));
        assertEquals(2, t.wordIndex().get("b"));
    }

    @Test
    void badInputIsExplained() {
        IllegalArgumentException empty =
                assertThrows(IllegalArgumentException.class, () -> new Tokenizer(10).fitOnTexts(List.of()));
        assertTrue(empty.getMessage().contains("corpus is empty"), empty.getMessage());
        IllegalStateException unfitted =
                assertThrows(IllegalStateException.class, () -> new Tokenizer(10).textsToSequences(List.of("a")));
        assertTrue(unfitted.getMessage().contains("fitOnTexts"), unfitted.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Tokenizer(-1));
    }
}
