package org.rnnlab.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnlab.data.Imdb;
import org.rnnlab.data.ImdbData;

/**
 * Token-for-token parity with Keras' own preprocessing on the whole IMDB corpus: runs
 * tools/keras_parity.py (Keras' Tokenizer and pad_sequences from keras_preprocessing) on the texts
 * this library loads, and compares digests of the word index, the sequences and the padded matrices.
 * Needs RNNLAB_IMDB and a Python with keras_preprocessing (./lab test on Debian installs it).
 */
class KerasParityTest {

    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void matchesKerasOnTheWholeImdbCorpus(@TempDir Path dir) throws Exception {
        String source = System.getenv(Imdb.ENV_SOURCE);
        assumeTrue(source != null && Files.exists(Path.of(source)), "RNNLAB_IMDB points at no IMDB archive");
        assumeTrue(
                run(List.of(PYTHON, "-c", "import keras_preprocessing"), dir).exitCode == 0,
                "keras_preprocessing is not installed (Debian: python3-keras-preprocessing)");

        ImdbData imdb = new Imdb(
                        Map.of(Imdb.ENV_SOURCE, source), Imdb.URL, new PrintStream(new ByteArrayOutputStream()))
                .full();
        Path json = dir.resolve("texts.json");
        Files.writeString(
                json,
                "{\"train\": " + jsonArray(imdb.train().texts()) + ", \"test\": "
                        + jsonArray(imdb.test().texts()) + "}",
                StandardCharsets.UTF_8);
        Path script = Path.of(System.getProperty("user.dir"))
                .resolve("../tools/keras_parity.py")
                .normalize();
        Result keras = run(List.of(PYTHON, script.toString(), json.toString()), dir);
        assertEquals(0, keras.exitCode, keras.output);

        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : keras.output.strip().split("\n")) {
            String[] kv = line.split(" ");
            expected.put(kv[0], kv[1]);
        }
        List<String> texts = new ArrayList<>(imdb.train().texts());
        texts.addAll(imdb.test().texts());
        Map<String, String> actual = new LinkedHashMap<>();
        for (String oov : new String[] {null, "<OOV>"}) {
            String tag = oov == null ? "plain" : "oov";
            for (int numWords : new int[] {8000, 10000}) {
                Tokenizer t =
                        new Tokenizer(numWords, oov).fitOnTexts(imdb.train().texts());
                if (numWords == 8000) {
                    actual.put("index-" + tag, digestIndex(t.wordIndex()));
                }
                List<int[]> seqs = t.textsToSequences(texts);
                actual.put("seq-" + tag + "-" + numWords, digestRows(seqs));
                if (numWords == 8000) {
                    for (String padding : new String[] {"pre", "post"}) {
                        for (String truncating : new String[] {"pre", "post"}) {
                            int[][] padded = Sequences.padSequences(seqs, 200, padding, truncating, 0);
                            actual.put(
                                    "pad-" + tag + "-" + numWords + "-" + padding + "-" + truncating,
                                    digestRows(List.of(padded)));
                        }
                    }
                }
            }
        }
        assertEquals(14, expected.size(), keras.output);
        assertEquals(expected, actual);
    }

    private static String digestRows(List<int[]> rows) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        StringBuilder sb = new StringBuilder();
        for (int[] row : rows) {
            sb.setLength(0);
            for (int i = 0; i < row.length; i++) {
                sb.append(i == 0 ? "" : ",").append(row[i]);
            }
            md.update(sb.append('\n').toString().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String digestIndex(Map<String, Integer> index) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(index.entrySet());
        entries.sort(Map.Entry.comparingByValue());
        for (Map.Entry<String, Integer> e : entries) {
            md.update((e.getKey() + "\t" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String jsonArray(List<String> texts) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < texts.size(); i++) {
            sb.append(i == 0 ? "\"" : ", \"");
            for (char c : texts.get(i).toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
        return sb.append(']').toString();
    }

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command, Path dir) throws Exception {
        Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
        } catch (java.io.IOException e) {
            return new Result(127, e.getMessage());
        }
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "the Keras reference did not finish in 15 minutes");
        return new Result(p.exitValue(), Files.readString(out));
    }
}
