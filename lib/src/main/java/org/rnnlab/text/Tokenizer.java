package org.rnnlab.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns texts into sequences of word indices with the semantics of Keras' {@code Tokenizer}.
 *
 * <p>Words are ranked by how often they occur in the texts given to {@link #fitOnTexts}; ties keep
 * the order in which the words were first seen. Index 0 is never assigned (it is the padding
 * value); with an OOV token, that token takes index 1. {@code numWords} does not shrink the
 * vocabulary: like Keras, it makes {@link #textsToSequences} keep only indices below it.
 */
public final class Tokenizer {

    private final Integer numWords;
    private final String oovToken;
    private final String filters;
    private final boolean lower;
    private final String split;

    private final LinkedHashMap<String, Integer> wordCounts = new LinkedHashMap<>();
    private final LinkedHashMap<String, Integer> wordDocs = new LinkedHashMap<>();
    private Map<String, Integer> wordIndex = Map.of();
    private Map<Integer, String> indexWord = Map.of();
    private int documentCount;

    /** A tokenizer keeping the {@code numWords - 1} most frequent words, no OOV token. */
    public Tokenizer(int numWords) {
        this(numWords, null);
    }

    /** A tokenizer keeping the {@code numWords - 1} most frequent words; unknown words map to {@code oovToken} if it is not null. */
    public Tokenizer(Integer numWords, String oovToken) {
        this(numWords, oovToken, TextUtils.DEFAULT_FILTERS, true, " ");
    }

    /** A tokenizer with every Keras option: {@code numWords} null or 0 keeps every word. */
    public Tokenizer(Integer numWords, String oovToken, String filters, boolean lower, String split) {
        if (numWords != null && numWords < 0) {
            throw new IllegalArgumentException("numWords must be positive (or null for no limit), was " + numWords);
        }
        this.numWords = numWords == null || numWords == 0 ? null : numWords;
        this.oovToken = oovToken;
        this.filters = filters;
        this.lower = lower;
        this.split = split;
    }

    /** Counts the words of the texts and (re)builds the word index; may be called more than once, counts accumulate. */
    public Tokenizer fitOnTexts(List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            throw new IllegalArgumentException("fitOnTexts needs at least one text: the corpus is empty");
        }
        for (String text : texts) {
            documentCount++;
            List<String> seq = words(text);
            for (String w : seq) {
                wordCounts.merge(w, 1, Integer::sum);
            }
            for (String w : new LinkedHashMap<String, Boolean>(seqAsKeys(seq)).keySet()) {
                wordDocs.merge(w, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> ranked = new ArrayList<>(wordCounts.entrySet());
        // List.sort is stable: words with equal counts keep their first-seen order, as in Python.
        ranked.sort((a, b) -> Integer.compare(b.getValue(), a.getValue()));
        List<String> vocabulary = new ArrayList<>(ranked.size() + 1);
        if (oovToken != null) {
            vocabulary.add(oovToken);
        }
        for (Map.Entry<String, Integer> e : ranked) {
            vocabulary.add(e.getKey());
        }
        // Keras builds dict(zip(vocabulary, 1..n)): a word listed twice keeps its later index.
        LinkedHashMap<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            index.put(vocabulary.get(i), i + 1);
        }
        HashMap<Integer, String> reverse = new HashMap<>();
        index.forEach((w, i) -> reverse.put(i, w));
        wordIndex = Collections.unmodifiableMap(index);
        indexWord = Collections.unmodifiableMap(reverse);
        return this;
    }

    private static Map<String, Boolean> seqAsKeys(List<String> seq) {
        LinkedHashMap<String, Boolean> m = new LinkedHashMap<>();
        for (String w : seq) {
            m.put(w, Boolean.TRUE);
        }
        return m;
    }

    private List<String> words(String text) {
        return TextUtils.textToWordSequence(text, filters, lower, split);
    }

    /** Converts each text into word indices; words not in the index (or not below {@code numWords}) become the OOV index or are dropped. */
    public List<int[]> textsToSequences(List<String> texts) {
        requireFitted();
        Integer oovIndex = oovToken == null ? null : wordIndex.get(oovToken);
        List<int[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            List<String> seq = words(text);
            int[] buf = new int[seq.size()];
            int n = 0;
            for (String w : seq) {
                Integer i = wordIndex.get(w);
                if (i != null) {
                    if (numWords != null && i >= numWords) {
                        if (oovIndex != null) {
                            buf[n++] = oovIndex;
                        }
                    } else {
                        buf[n++] = i;
                    }
                } else if (oovToken != null && oovIndex != null) {
                    buf[n++] = oovIndex;
                }
            }
            out.add(n == buf.length ? buf : java.util.Arrays.copyOf(buf, n));
        }
        return out;
    }

    /** Converts one text into word indices, see {@link #textsToSequences}. */
    public int[] textToSequence(String text) {
        return textsToSequences(List.of(text)).get(0);
    }

    /** Turns index sequences back into space-separated words, as Keras' {@code sequences_to_texts}. */
    public List<String> sequencesToTexts(List<int[]> sequences) {
        requireFitted();
        Integer oovIndex = oovToken == null ? null : wordIndex.get(oovToken);
        List<String> out = new ArrayList<>(sequences.size());
        for (int[] seq : sequences) {
            List<String> words = new ArrayList<>(seq.length);
            for (int num : seq) {
                String word = indexWord.get(num);
                if (word != null) {
                    if (numWords != null && num >= numWords) {
                        if (oovIndex != null) {
                            words.add(indexWord.get(oovIndex));
                        }
                    } else {
                        words.add(word);
                    }
                } else if (oovToken != null && oovIndex != null) {
                    words.add(indexWord.get(oovIndex));
                }
            }
            out.add(String.join(" ", words));
        }
        return out;
    }

    private void requireFitted() {
        if (documentCount == 0) {
            throw new IllegalStateException("the tokenizer has no vocabulary yet: call fitOnTexts(trainTexts) first");
        }
    }

    /** Word → index (from 1) for every word seen, most frequent first; unmodifiable. */
    public Map<String, Integer> wordIndex() {
        return wordIndex;
    }

    /** Index → word, the reverse of {@link #wordIndex()}; unmodifiable. */
    public Map<Integer, String> indexWord() {
        return indexWord;
    }

    /** Word → number of occurrences, in first-seen order; unmodifiable view. */
    public Map<String, Integer> wordCounts() {
        return Collections.unmodifiableMap(wordCounts);
    }

    /** Word → number of texts it occurs in, in first-seen order; unmodifiable view. */
    public Map<String, Integer> wordDocs() {
        return Collections.unmodifiableMap(wordDocs);
    }

    /** Number of texts seen by {@link #fitOnTexts}. */
    public int documentCount() {
        return documentCount;
    }

    /** The {@code numWords} limit, or null when every word is kept. */
    public Integer numWords() {
        return numWords;
    }

    /** The OOV token, or null. */
    public String oovToken() {
        return oovToken;
    }

    /** The size a model's embedding needs: {@code numWords}, or the vocabulary size + 1 without a limit. */
    public int vocabularySize() {
        return numWords != null ? numWords : wordIndex.size() + 1;
    }
}
