package org.rnnlab.text;

import java.util.List;

/** Keras' {@code pad_sequences}: brings index sequences to one length by padding and truncating. */
public final class Sequences {

    /** Where padding or truncation happens: at the front ("pre") or at the end ("post"). */
    public enum Side {
        PRE,
        POST;

        static Side parse(String s, String what) {
            if ("pre".equals(s)) {
                return PRE;
            }
            if ("post".equals(s)) {
                return POST;
            }
            throw new IllegalArgumentException(what + " must be \"pre\" or \"post\", was \"" + s + "\"");
        }
    }

    private Sequences() {}

    /** Pads or truncates at the front to {@code maxlen}, with 0 as padding value (Keras' defaults). */
    public static int[][] padSequences(List<int[]> sequences, int maxlen) {
        return padSequences(sequences, maxlen, "pre", "pre", 0);
    }

    /** Pads at the front to the longest sequence. */
    public static int[][] padSequences(List<int[]> sequences) {
        return padSequences(sequences, null, "pre", "pre", 0);
    }

    /**
     * Pads or truncates every sequence to {@code maxlen} (null: the longest sequence's length).
     *
     * @param padding    "pre" puts the padding value before the sequence, "post" after it
     * @param truncating "pre" drops tokens from the front of longer sequences, "post" from the end
     * @param value      the padding value
     */
    public static int[][] padSequences(
            List<int[]> sequences, Integer maxlen, String padding, String truncating, int value) {
        Side pad = Side.parse(padding, "padding");
        Side trunc = Side.parse(truncating, "truncating");
        if (sequences == null) {
            throw new IllegalArgumentException("sequences is null");
        }
        int len;
        if (maxlen == null) {
            if (sequences.isEmpty()) {
                throw new IllegalArgumentException(
                        "cannot find the longest of no sequences: pass maxlen or at least one sequence");
            }
            len = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        } else {
            if (maxlen <= 0) {
                throw new IllegalArgumentException(
                        "maxlen must be positive, was " + maxlen + " (the length every sequence is brought to)");
            }
            len = maxlen;
        }
        int[][] out = new int[sequences.size()][len];
        for (int r = 0; r < out.length; r++) {
            int[] s = sequences.get(r);
            int[] row = out[r];
            if (value != 0) {
                java.util.Arrays.fill(row, value);
            }
            int n = Math.min(s.length, len);
            if (n == 0) {
                continue;
            }
            int srcFrom = trunc == Side.PRE ? s.length - n : 0;
            int dstFrom = pad == Side.PRE ? len - n : 0;
            System.arraycopy(s, srcFrom, row, dstFrom, n);
        }
        return out;
    }
}
