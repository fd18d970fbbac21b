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

    private static void assertSameSequences(Tokenizer a, Tokenizer b, List<String> texts) {
        List<int[]> x = a.textsToSequences(texts);
        List<int[]> y = b.textsToSequences(texts);
        assertEquals(x.size(), y.size());
        for (int i = 0; i < x.size(); i++) {
            assertArrayEquals(x.get(i), y.get(i), texts.get(i));
        }
    }

    @Test
    void jsonRoundTripGivesTheSameSequences() {
        List<String> texts =
                List.of("the cat and the dog", "A zebra, unseen before!", "mat mat on the mat", "", "THE CAT SAT");
        for (Tokenizer t : List.of(
                new Tokenizer(4, "<OOV>").fitOnTexts(CORPUS),
                new Tokenizer(4).fitOnTexts(CORPUS),
                new Tokenizer(null, "sat").fitOnTexts(CORPUS), // an OOV token that is also a word
                new Tokenizer(6, "<unk>", "!,.", false, " ").fitOnTexts(CORPUS))) {
            String json = t.toJson();
            Tokenizer back = Tokenizer.fromJson(json);
            assertSameSequences(t, back, texts);
            assertEquals(
                    new ArrayList<>(t.wordIndex().entrySet()),
                    new ArrayList<>(back.wordIndex().entrySet()));
            assertEquals(t.indexWord(), back.indexWord());
            assertEquals(
                    new ArrayList<>(t.wordCounts().entrySet()),
                    new ArrayList<>(back.wordCounts().entrySet()));
            assertEquals(
                    new ArrayList<>(t.wordDocs().entrySet()),
                    new ArrayList<>(back.wordDocs().entrySet()));
            assertEquals(t.documentCount(), back.documentCount());
            assertEquals(t.numWords(), back.numWords());
            assertEquals(t.oovToken(), back.oovToken());
            assertEquals(t.vocabularySize(), back.vocabularySize());
            assertEquals(json, back.toJson());
            // fitting further goes on from the same counts
            assertSameSequences(
                    t.fitOnTexts(List.of("zebra zebra zebra")), back.fitOnTexts(List.of("zebra zebra zebra")), texts);
        }
        // numWords cuts the known "dog" (index 4) off to the OOV index
        Tokenizer cut =
                Tokenizer.fromJson(new Tokenizer(4, "<OOV>").fitOnTexts(CORPUS).toJson());
        assertArrayEquals(new int[] {2, 3, 1, 2, 1}, cut.textToSequence("the cat and the dog"));
    }

    @Test
    void jsonOfAnUnfittedTokenizerStaysUnfitted() {
        Tokenizer back = Tokenizer.fromJson(new Tokenizer(10).toJson());
        assertThrows(IllegalStateException.class, () -> back.textsToSequences(List.of("a")));
    }

    @Test
    void badJsonIsExplained() {
        String good = new Tokenizer(4, "<OOV>").fitOnTexts(CORPUS).toJson();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(null, "is null");
        cases.put("", "must be an object");
        cases.put("{", "not valid JSON");
        cases.put("[1, 2]", "must be an object");
        cases.put(good.replace("\"numWords\":4", "\"numWords\":-4"), "\"numWords\" must be a whole number");
        cases.put(good.replace("\"lower\":true", "\"lower\":\"yes\""), "\"lower\" must be true or false");
        cases.put(good.replace("\"split\":\" \"", "\"split\":\"\""), "\"split\" must not be empty");
        cases.put(good.replace("\"filters\"", "\"filterz\""), "lacks the field \"filters\"");
        cases.put(good.replace("\"the\":2", "\"the\":0"), "maps \"the\" to 0");
        cases.put(good.replace("\"the\":2", "\"the\":3"), "gives index 3 to both");
        cases.put(good.replace("\"the\":2", "\"the\":2,\"the\":5"), "not valid JSON");
        cases.put(good.replace("\"format\":\"org.rnnlab.text.Tokenizer\"", "\"format\":\"keras\""), "format");
        cases.forEach((json, message) -> {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromJson(json), String.valueOf(json));
            assertTrue(e.getMessage().contains(message), json + " → " + e.getMessage());
        });
    }
}
