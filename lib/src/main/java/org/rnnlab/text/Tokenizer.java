package org.rnnlab.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Turns texts into sequences of word indices with the semantics of Keras' {@code Tokenizer}.
 *
 * <p>Words are ranked by how often they occur in the texts given to {@link #fitOnTexts}; ties keep
 * the order in which the words were first seen. Index 0 is never assigned (it is the padding
 * value); with an OOV token, that token takes index 1. {@code numWords} does not shrink the
 * vocabulary: like Keras, it makes {@link #textsToSequences} keep only indices below it.
 *
 * <p>{@link #toJson()} and {@link #fromJson(String)} (Keras' {@code to_json} and
 * {@code tokenizer_from_json}) save and restore a tokenizer: the restored one has the same options,
 * word index, counts and document count, so it turns every text into the same sequences.
 */
public final class Tokenizer {

    /** The value of the {@code "format"} field of {@link #toJson()}. */
    public static final String JSON_FORMAT = "org.rnnlab.text.Tokenizer";

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

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

    /**
     * This tokenizer as a JSON object: {@code format}, {@code numWords} (null: no limit), {@code oovToken},
     * {@code filters}, {@code lower}, {@code split}, {@code documentCount}, and the maps {@code wordIndex},
     * {@code wordCounts} and {@code wordDocs} in their order. {@link #fromJson(String)} reads it back.
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", JSON_FORMAT);
        root.put("numWords", numWords);
        root.put("oovToken", oovToken);
        root.put("filters", filters);
        root.put("lower", lower);
        root.put("split", split);
        root.put("documentCount", documentCount);
        ObjectNode index = root.putObject("wordIndex");
        wordIndex.forEach(index::put);
        ObjectNode counts = root.putObject("wordCounts");
        wordCounts.forEach(counts::put);
        ObjectNode docs = root.putObject("wordDocs");
        wordDocs.forEach(docs::put);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the tokenizer could not be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The tokenizer that {@link #toJson()} wrote: same options, word index, counts and document count, so
     * {@link #textsToSequences} gives the same sequences. {@code wordCounts} and {@code wordDocs} may be
     * left out (they only matter to a later {@link #fitOnTexts}); fields it does not know are ignored.
     *
     * @throws IllegalArgumentException if {@code json} is not such an object, naming the first field that is wrong
     */
    public static Tokenizer fromJson(String json) {
        if (json == null) {
            throw new IllegalArgumentException("tokenizer JSON is null");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tokenizer JSON is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("tokenizer JSON must be an object, was "
                    + (root == null || root.isMissingNode()
                            ? "empty"
                            : root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        JsonNode format = root.get("format");
        if (format != null && !(format.isTextual() && JSON_FORMAT.equals(format.asText()))) {
            throw new IllegalArgumentException(
                    "tokenizer JSON has format " + format + ", expected \"" + JSON_FORMAT + "\"");
        }
        JsonNode numWordsNode = required(root, "numWords");
        Integer numWords = numWordsNode.isNull() ? null : nonNegativeInt(numWordsNode, "numWords");
        JsonNode oovNode = required(root, "oovToken");
        String oov = oovNode.isNull() ? null : text(oovNode, "oovToken");
        String filters = text(required(root, "filters"), "filters");
        JsonNode lowerNode = required(root, "lower");
        if (!lowerNode.isBoolean()) {
            throw new IllegalArgumentException(
                    "tokenizer JSON field \"lower\" must be true or false, was " + lowerNode);
        }
        String split = text(required(root, "split"), "split");
        if (split.isEmpty()) {
            throw new IllegalArgumentException("tokenizer JSON field \"split\" must not be empty");
        }
        int documents = nonNegativeInt(required(root, "documentCount"), "documentCount");
        Tokenizer t = new Tokenizer(numWords, oov, filters, lowerNode.asBoolean(), split);
        LinkedHashMap<String, Integer> index = counts(required(root, "wordIndex"), "wordIndex", 1);
        HashMap<Integer, String> reverse = new HashMap<>();
        for (Map.Entry<String, Integer> e : index.entrySet()) {
            String other = reverse.put(e.getValue(), e.getKey());
            if (other != null) {
                throw new IllegalArgumentException(String.format(
                        "tokenizer JSON field \"wordIndex\" gives index %d to both \"%s\" and \"%s\"",
                        e.getValue(), other, e.getKey()));
            }
        }
        JsonNode countsNode = root.get("wordCounts");
        if (countsNode != null && !countsNode.isNull()) {
            t.wordCounts.putAll(counts(countsNode, "wordCounts", 0));
        }
        JsonNode docsNode = root.get("wordDocs");
        if (docsNode != null && !docsNode.isNull()) {
            t.wordDocs.putAll(counts(docsNode, "wordDocs", 0));
        }
        t.wordIndex = Collections.unmodifiableMap(index);
        t.indexWord = Collections.unmodifiableMap(reverse);
        t.documentCount = documents;
        return t;
    }

    private static JsonNode required(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null) {
            throw new IllegalArgumentException("tokenizer JSON lacks the field \"" + field + "\"");
        }
        return n;
    }

    private static String text(JsonNode n, String field) {
        if (!n.isTextual()) {
            throw new IllegalArgumentException(
                    "tokenizer JSON field \"" + field + "\" must be a string, was " + shortly(n));
        }
        return n.asText();
    }

    private static int nonNegativeInt(JsonNode n, String field) {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0) {
            throw new IllegalArgumentException(
                    "tokenizer JSON field \"" + field + "\" must be a whole number from 0, was " + shortly(n));
        }
        return n.intValue();
    }

    /** A JSON object of word → whole number of at least {@code min}, in its order. */
    private static LinkedHashMap<String, Integer> counts(JsonNode n, String field, int min) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(
                    "tokenizer JSON field \"" + field + "\" must be an object of word → number, was " + shortly(n));
        }
        LinkedHashMap<String, Integer> out = new LinkedHashMap<>();
        var fields = n.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            JsonNode v = e.getValue();
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min) {
                throw new IllegalArgumentException(String.format(
                        "tokenizer JSON field \"%s\" maps \"%s\" to %s; it must be a whole number from %d",
                        field, e.getKey(), shortly(v), min));
            }
            out.put(e.getKey(), v.intValue());
        }
        return out;
    }

    private static String shortly(JsonNode n) {
        String s = n.toString();
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
