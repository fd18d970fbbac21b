package org.rnnlab.grade;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.rnnlab.text.Tokenizer;
import org.rnnlab.train.Trainer;
import org.rnnlab.train.TrainingSettings;

/**
 * The autograder's side inside a learner's kernel: writes the objects a submission built to files, and
 * does nothing else (no grading, no output). {@link TrustedGrade} reads the files in a JVM that never ran
 * the submission and grades them there.
 *
 * <p>{@link #put} writes one object into a folder as {@code <name>.<kind>}, by its type:
 *
 * <ul>
 *   <li>a {@link MultiLayerNetwork}: {@code <name>.model.zip}, DL4J's own model file (configuration and
 *       parameters, no updater state);
 *   <li>a {@link Trainer}: {@code <name>.trainer.json}, its {@link TrainingSettings};
 *   <li>a {@link Tokenizer}: {@code <name>.tokenizer.json}, its {@link Tokenizer#toJson()};
 *   <li>a DL4J layer configuration ({@link Layer}): {@code <name>.layer.json}, DL4J's own JSON of it;
 *   <li>null: an empty {@code <name>.null};
 *   <li>anything else: {@code <name>.other}, holding the value's class name.
 * </ul>
 *
 * <p>Each put first removes the files an earlier put of the same name left, so a folder holds at most
 * one file per name; a file appears complete or not at all. The autograder runs {@link #call} in the
 * learner's kernel: a cell that reaches this class by reflection from a string literal, so no name a
 * learner declared (a variable {@code org}, a class {@code Handover}, {@code Object} or {@code Class})
 * can change what it calls.
 */
public final class Handover {

    /** What an object's name must look like: a letter, then at most 40 letters or digits. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,40}");

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The kinds of hand-over file: the ending after {@code <name>} and what the object is, for a hint. */
    enum Kind {
        MODEL(".model.zip", "a MultiLayerNetwork"),
        TRAINER(".trainer.json", "a Trainer"),
        TOKENIZER(".tokenizer.json", "a Tokenizer"),
        LAYER(".layer.json", "a layer configuration"),
        NULL(".null", "null"),
        OTHER(".other", "something else");

        final String suffix;
        final String what;

        Kind(String suffix, String what) {
            this.suffix = suffix;
            this.what = what;
        }

        /** The file name of object {@code name} of this kind. */
        String file(String name) {
            return name + suffix;
        }
    }

    private Handover() {}

    /**
     * Writes {@code value} into folder {@code dir} (created if needed) as object {@code name}: see the class
     * description for the file each type gives. Prints nothing.
     *
     * @throws IllegalArgumentException if {@code name} does not match {@link #NAME} or {@code dir} is null
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void put(String dir, String name, Object value) {
        checkName(name);
        if (dir == null) {
            throw new IllegalArgumentException("the hand-over folder is null");
        }
        Path folder = Path.of(dir);
        Kind kind = kindOf(value);
        Path target = folder.resolve(kind.file(name));
        Path part = folder.resolve(kind.file(name) + ".part");
        try {
            Files.createDirectories(folder);
            for (Kind k : Kind.values()) {
                Files.deleteIfExists(folder.resolve(k.file(name)));
            }
            Files.deleteIfExists(part);
            switch (kind) {
                case MODEL -> ModelSerializer.writeModel((MultiLayerNetwork) value, part.toFile(), false);
                case TRAINER -> write(part, settingsJson(((Trainer) value).settings()));
                case TOKENIZER -> write(part, ((Tokenizer) value).toJson());
                case LAYER -> write(part, NeuralNetConfiguration.mapper().writeValueAsString(value));
                case NULL -> write(part, "");
                case OTHER -> write(part, value.getClass().getName());
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            removeQuietly(part);
            throw new UncheckedIOException(
                    "could not hand over `" + name + "` into " + folder + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            removeQuietly(part);
            throw e;
        }
    }

    private static void removeQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the failure that led here is the one to report
        }
    }

    /**
     * The hand-over cell for object {@code name} into folder {@code dir}: {@link #template()} with the
     * folder written as a Java string literal's contents and the name filled in.
     *
     * @throws IllegalArgumentException if {@code name} does not match {@link #NAME} or {@code dir} is null
     */
    public static String call(String dir, String name) {
        checkName(name);
        if (dir == null) {
            throw new IllegalArgumentException("the hand-over folder is null");
        }
        return cell(javaLiteral(dir), name);
    }

    /**
     * The hand-over cell with the placeholders {@code {dir}} (the folder, as the contents of a Java string
     * literal: backslashes and double quotes escaped) and {@code {name}} (the object's name, twice: as a
     * string and as the variable handed over):
     *
     * <pre>{@code
     * "".getClass().forName("org.rnnlab.grade.Handover").getMethod("put", "".getClass(), "".getClass(),
     *     "".getClass().getSuperclass()).invoke(null, "{dir}", "{name}", {name});
     * }</pre>
     *
     * (one line). It names no type and no package a learner's declarations could capture: {@code ""} is
     * always a {@code java.lang.String}, its class's {@code forName} and superclass are Java's own.
     */
    public static String template() {
        return cell("{dir}", "{name}");
    }

    private static String cell(String dirLiteral, String name) {
        return "\"\".getClass().forName(\"" + Handover.class.getName() + "\").getMethod(\"put\", \"\".getClass(), "
                + "\"\".getClass(), \"\".getClass().getSuperclass()).invoke(null, \"" + dirLiteral + "\", \"" + name
                + "\", " + name + ");";
    }

    /** The contents of a Java string literal that denotes {@code s} (no Unicode escapes: JShell reads those before anything else). */
    static String javaLiteral(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format(Locale.ROOT, "\\%03o", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "a hand-over name is a letter followed by at most 40 letters or digits, was "
                            + (name == null ? "null" : "\"" + name + "\""));
        }
    }

    static Kind kindOf(Object value) {
        if (value == null) {
            return Kind.NULL;
        }
        if (value instanceof MultiLayerNetwork) {
            return Kind.MODEL;
        }
        if (value instanceof Trainer) {
            return Kind.TRAINER;
        }
        if (value instanceof Tokenizer) {
            return Kind.TOKENIZER;
        }
        if (value instanceof Layer) {
            return Kind.LAYER;
        }
        return Kind.OTHER;
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** A trainer's settings as JSON: epochs, batchSize, validationSplit, keepBestOf (or null), patience. */
    static String settingsJson(TrainingSettings s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("epochs", s.epochs());
        root.put("batchSize", s.batchSize());
        root.put("validationSplit", s.validationSplit());
        root.put("keepBestOf", s.keepBestOf());
        root.put("patience", s.patience());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the trainer's settings could not be written as JSON", e);
        }
    }

    /**
     * The settings {@link #settingsJson} wrote.
     *
     * @throws IllegalArgumentException naming the first field that is missing or wrong
     */
    static TrainingSettings settingsFromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the trainer's settings must be a JSON object");
        }
        JsonNode split = field(root, "validationSplit");
        if (!split.isNumber() || !Double.isFinite(split.doubleValue())) {
            throw new IllegalArgumentException("\"validationSplit\" must be a number");
        }
        JsonNode best = field(root, "keepBestOf");
        if (!best.isNull() && !(best.isTextual() && best.asText().length() <= 100)) {
            throw new IllegalArgumentException("\"keepBestOf\" must be null or a metric's name");
        }
        return new TrainingSettings(
                whole(root, "epochs"),
                whole(root, "batchSize"),
                split.doubleValue(),
                best.isNull() ? null : best.asText(),
                whole(root, "patience"));
    }

    private static JsonNode field(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null) {
            throw new IllegalArgumentException("the field \"" + name + "\" is missing");
        }
        return n;
    }

    private static int whole(JsonNode root, String name) {
        JsonNode n = field(root, name);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException("\"" + name + "\" must be a whole number");
        }
        return n.intValue();
    }
}
