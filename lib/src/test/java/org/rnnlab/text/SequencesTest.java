package org.rnnlab.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequencesTest {

    private static final List<int[]> SEQS = List.of(new int[] {1, 2, 3, 4, 5}, new int[] {6, 7}, new int[] {});

    @Test
    void defaultsPadAndTruncateAtTheFront() {
        assertArrayEquals(new int[][] {{3, 4, 5}, {0, 6, 7}, {0, 0, 0}}, Sequences.padSequences(SEQS, 3));
    }

    @Test
    void allFourPaddingAndTruncatingCombinations() {
        assertArrayEquals(
                new int[][] {{1, 2, 3}, {0, 6, 7}, {0, 0, 0}}, Sequences.padSequences(SEQS, 3, "pre", "post", 0));
        assertArrayEquals(
                new int[][] {{3, 4, 5}, {6, 7, 0}, {0, 0, 0}}, Sequences.padSequences(SEQS, 3, "post", "pre", 0));
        assertArrayEquals(
                new int[][] {{1, 2, 3}, {6, 7, 0}, {0, 0, 0}}, Sequences.padSequences(SEQS, 3, "post", "post", 0));
    }

    @Test
    void withoutMaxlenPadsToTheLongest() {
        assertArrayEquals(
                new int[][] {{1, 2, 3, 4, 5}, {0, 0, 0, 6, 7}, {0, 0, 0, 0, 0}}, Sequences.padSequences(SEQS));
    }

    @Test
    void paddingValue() {
        assertArrayEquals(
                new int[][] {{-1, -1, 6, 7}}, Sequences.padSequences(List.of(new int[] {6, 7}), 4, "pre", "pre", -1));
    }

    @Test
    void badArgumentsAreExplained() {
        IllegalArgumentException zero =
                assertThrows(IllegalArgumentException.class, () -> Sequences.padSequences(SEQS, 0));
        assertTrue(zero.getMessage().contains("maxlen must be positive"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sequences.padSequences(SEQS, -3));
        IllegalArgumentException side =
                assertThrows(IllegalArgumentException.class, () -> Sequences.padSequences(SEQS, 3, "front", "pre", 0));
        assertTrue(side.getMessage().contains("\"pre\" or \"post\""), side.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sequences.padSequences(List.of()));
    }
}
