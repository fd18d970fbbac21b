package org.rnnlab.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextUtilsTest {

    @Test
    void lowerCasesAndDropsPunctuationButKeepsApostrophes() {
        assertEquals(
                List.of("don't", "watch", "this", "movie", "poor", "acting"),
                TextUtils.textToWordSequence("Don't watch this movie - poor acting!"));
    }

    @Test
    void htmlLineBreaksBecomeTheWordBr() {
        assertEquals(List.of("great", "br", "br", "fun"), TextUtils.textToWordSequence("Great.<br /><br />Fun"));
    }

    @Test
    void tabsAndNewlinesSplitButCarriageReturnsAndNonBreakingSpacesDoNot() {
        assertEquals(List.of("a", "b", "c\rd", "e\u00a0f"), TextUtils.textToWordSequence("a\tb\nc\rd e\u00a0f"));
    }

    @Test
    void runsOfSeparatorsGiveNoEmptyWords() {
        assertEquals(List.of("x", "y"), TextUtils.textToWordSequence("  ...x ,,, y!!  "));
        assertEquals(List.of(), TextUtils.textToWordSequence(""));
        assertEquals(List.of(), TextUtils.textToWordSequence("?!."));
    }

    @Test
    void everyDefaultFilterCharacterSplits() {
        String filters = TextUtils.DEFAULT_FILTERS;
        StringBuilder text = new StringBuilder("w");
        for (char c : filters.toCharArray()) {
            text.append(c).append('w');
        }
        assertEquals(
                filters.length() + 1,
                TextUtils.textToWordSequence(text.toString()).size());
    }

    @Test
    void customFiltersLowerAndSplit() {
        assertEquals(List.of("A-B", "C"), TextUtils.textToWordSequence("A-B|C", "", false, "|"));
        assertThrows(IllegalArgumentException.class, () -> TextUtils.textToWordSequence("a", "", true, ""));
    }
}
