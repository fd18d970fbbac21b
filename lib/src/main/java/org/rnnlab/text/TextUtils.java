package org.rnnlab.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Keras' {@code text_to_word_sequence}: lower-case, replace filter characters by the split string, split, drop empties. */
public final class TextUtils {

    /** The characters Keras removes by default: punctuation except the apostrophe, plus tab and newline. */
    public static final String DEFAULT_FILTERS = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

    private TextUtils() {}

    /** Splits a text into words with Keras' defaults (filters above, lower-casing, split on a single space). */
    public static List<String> textToWordSequence(String text) {
        return textToWordSequence(text, DEFAULT_FILTERS, true, " ");
    }

    /**
     * Splits a text into words exactly as Keras does: every filter character becomes {@code split},
     * the text is split on {@code split}, and empty pieces are dropped. Other whitespace (carriage
     * returns, non-breaking spaces) stays inside words, as in Keras.
     */
    public static List<String> textToWordSequence(String text, String filters, boolean lower, String split) {
        if (text == null) {
            throw new IllegalArgumentException("text is null: pass an empty string for an empty text");
        }
        if (split == null || split.isEmpty()) {
            throw new IllegalArgumentException("split must be a non-empty string, e.g. \" \"");
        }
        String s = lower ? text.toLowerCase(Locale.ROOT) : text;
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (filters.indexOf(cp) >= 0) {
                sb.append(split);
            } else {
                sb.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        List<String> words = new ArrayList<>();
        String t = sb.toString();
        int from = 0;
        while (true) {
            int at = t.indexOf(split, from);
            String piece = at < 0 ? t.substring(from) : t.substring(from, at);
            if (!piece.isEmpty()) {
                words.add(piece);
            }
            if (at < 0) {
                break;
            }
            from = at + split.length();
        }
        return words;
    }
}
