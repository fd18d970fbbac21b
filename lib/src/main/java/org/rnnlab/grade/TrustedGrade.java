package org.rnnlab.grade;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.rnnlab.Mode;
import org.rnnlab.text.Tokenizer;
import org.rnnlab.train.TrainingSettings;

/**
 * The autograder's trusted side: grades the objects a submission handed over ({@link Handover}) in a JVM
 * that never ran the submission's code, with the same checks as the check cells.
 *
 * <pre>{@code
 * java -cp <library and its dependencies> org.rnnlab.grade.TrustedGrade <quick|full> <exercise> <handover folder>
 * }</pre>
 *
 * prints exactly one line on standard output,
 *
 * <pre>{@code
 * RNNLAB-TRUSTED {"exercise": "6.01", "mode": "full", "steps": [{"step": "model", "points": 3, "maxPoints": 5,
 *   "feedback": "...", "report": "...", "items": [{"name": ..., "points": ..., "maxPoints": ..., "feedback": ...}]}, ...]}
 * }</pre>
 *
 * with a result for every step of the exercise, in the catalogue's order, and exits with status 0 (2 for
 * wrong arguments, without the line). The line is pure ASCII (other characters are JSON escapes).
 * {@code maxPoints} is {@link Exercises#maxPoints} in the given mode (which wins over {@code RNNLAB_MODE}),
 * and {@code points} what the checks computed, kept within 0 and {@code maxPoints}: nothing in the files
 * counts but the objects the checks inspect, and the test accuracy is measured here on test reviews this
 * JVM loads itself. Anything else the library prints goes to standard error.
 *
 * <p>The files are treated as hostile. An object with no file counts as null (the checks' hints for a
 * missing object apply); one handed over as another type, as more than one file, as something other than
 * a plain file, larger than {@link #MAX_FILE_BYTES}, or unreadable fails the items that need it with a
 * short reason, and the other objects are still graded. A model file is read without Java deserialisation:
 * only its {@code configuration.json} (which must describe a {@code MultiLayerNetwork} of at most
 * {@link #MAX_PARAMS} parameters) and its {@code coefficients.bin}; nothing else in it is looked at.
 *
 * <p>{@code TrustedGrade --prepare} only loads ND4J's native libraries, unpacking them into JavaCPP's cache
 * folder, and prints {@code RNNLAB-TRUSTED prepared}: the graders run it once, outside their sandboxes, so that
 * sandboxed JVMs find the libraries there, read-only.
 */
public final class TrustedGrade {

    /** Starts the line the autograder reads. */
    public static final String MARK = "RNNLAB-TRUSTED";

    /** The largest hand-over file read (64 MB); larger ones are refused before reading. */
    public static final long MAX_FILE_BYTES = 64L << 20;

    /** The most parameters a handed-over network may have. */
    public static final long MAX_PARAMS = 16L << 20;

    private static final long MAX_CONFIG_BYTES = 16L << 20;
    private static final String CONFIGURATION = "configuration.json";
    private static final String COEFFICIENTS = "coefficients.bin";
    private static final String NO_PARAMS = "noParams.marker";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrustedGrade() {}

    /** An object read back: its value (null if none), what was handed over (for a hint), or why it cannot be used. */
    record Loaded(Object value, String what, String problem) {

        static final Loaded ABSENT = new Loaded(null, null, null);

        static Loaded problem(String text) {
            return new Loaded(null, null, text);
        }
    }

    /** A graded step: the checks' result, and the points counted for it within {@code [0, maxPoints]}. */
    record Outcome(String step, int points, int maxPoints, StepResult result) {}

    /** Grades and prints the line; see the class description. */
    public static void main(String[] args) {
        PrintStream out = System.out;
        System.setOut(System.err);
        if (args.length == 1 && args[0].equals("--prepare")) {
            // Loads ND4J's native libraries once, which unpacks them into JavaCPP's cache folder
            // (org.bytedeco.javacpp.cachedir): the graders' sandboxes then read them from there.
            org.nd4j.linalg.factory.Nd4j.create(1);
            out.println(MARK + " prepared");
            out.flush();
            System.exit(0);
        }
        if (args.length != 3) {
            System.err.println(
                    "usage: TrustedGrade <quick|full> <exercise> <handover folder>, or TrustedGrade --prepare");
            System.exit(2);
        }
        Mode mode;
        try {
            mode = Mode.parse(args[0]);
        } catch (IllegalArgumentException e) {
            System.err.println("TrustedGrade: the mode must be \"quick\" or \"full\", was \"" + args[0] + "\"");
            System.exit(2);
            return;
        }
        if (Exercises.find(args[1]).isEmpty()) {
            System.err.println("TrustedGrade: there is no graded exercise \"" + args[1] + "\"");
            System.exit(2);
        }
        String line = MARK + " " + gradeJson(mode, args[1], Path.of(args[2]));
        out.println(line);
        out.flush();
        System.exit(0);
    }

    /**
     * The JSON object of the line {@link #main} prints (without {@link #MARK}): every step of {@code exercise}
     * graded in {@code mode} from the files in {@code dir}.
     *
     * @throws IllegalArgumentException if {@code exercise} is not a graded exercise
     */
    public static String gradeJson(Mode mode, String exercise, Path dir) {
        ExerciseSpec spec = Grader.exercise(exercise);
        String steps = grade(spec, mode, dir).stream()
                .map(o -> String.format(
                        Locale.ROOT,
                        "{\"step\": %s, \"points\": %d, \"maxPoints\": %d, \"feedback\": %s, \"report\": %s, \"items\": [%s]}",
                        StepResult.quote(o.step()),
                        o.points(),
                        o.maxPoints(),
                        StepResult.quote(o.result().feedback()),
                        StepResult.quote(o.result().report()),
                        o.result().itemsJson()))
                .collect(Collectors.joining(", "));
        return ascii(String.format(
                "{\"exercise\": %s, \"mode\": %s, \"steps\": [%s]}",
                StepResult.quote(spec.id()), StepResult.quote(mode.label()), steps));
    }

    /** Every step of the exercise, graded from the files in {@code dir}; never throws. */
    static List<Outcome> grade(ExerciseSpec spec, Mode mode, Path dir) {
        Map<String, Loaded> objects = new HashMap<>();
        for (String name : Exercises.objects(spec)) {
            objects.put(name, load(dir, name));
        }
        List<Outcome> out = new ArrayList<>();
        for (Step step : spec.steps()) {
            out.add(gradeStep(spec, step, mode, objects));
        }
        return out;
    }

    static Outcome gradeStep(ExerciseSpec spec, Step step, Mode mode, Map<String, Loaded> objects) {
        int max = Exercises.maxPoints(step, mode);
        StepResult r;
        try {
            Map<String, String> problems = new LinkedHashMap<>();
            List<Object> args = new ArrayList<>();
            for (int i = 0; i < step.objects().size(); i++) {
                String name = step.objects().get(i);
                args.add(usable(name, objects.getOrDefault(name, Loaded.ABSENT), expected(step.name(), i), problems));
            }
            r = switch (step.name()) {
                case "model" -> Grader.model(spec.id(), (MultiLayerNetwork) args.get(0));
                case "training" ->
                    Grader.trainingSettings(spec.id(), (MultiLayerNetwork) args.get(0), (TrainingSettings) args.get(1));
                case "results" ->
                    Grader.resultsOnTestData(spec.id(), (MultiLayerNetwork) args.get(0), (Tokenizer) args.get(1), mode);
                case "layers" ->
                    Grader.layers(
                            spec.id(), args.stream().map(Layer.class::cast).toArray(Layer[]::new));
                default ->
                    throw new IllegalStateException("there is no trusted grading for step \"" + step.name() + "\"");
            };
            r = explain(r, problems);
        } catch (Throwable e) {
            r = new StepResult(
                    spec.id(),
                    step.name(),
                    List.of(CheckItem.fail("grading", max, "could not be graded: " + reason(e))));
        }
        int points = Math.max(0, Math.min(max, r.points()));
        return new Outcome(step.name(), points, max, r);
    }

    /** The type argument {@code i} of a step's check takes, and how a hint names it. */
    private static Map.Entry<Class<?>, String> expected(String step, int i) {
        if (step.equals("layers")) {
            return Map.entry(Layer.class, "a layer configuration (org.deeplearning4j.nn.conf.layers.Layer)");
        }
        if (i == 0) {
            return Map.entry(MultiLayerNetwork.class, "a MultiLayerNetwork");
        }
        if (step.equals("training")) {
            return Map.entry(TrainingSettings.class, "a Trainer");
        }
        if (step.equals("results")) {
            return Map.entry(Tokenizer.class, "a Tokenizer");
        }
        throw new IllegalStateException("step \"" + step + "\" takes no object " + (i + 1));
    }

    /** The object to grade (null when it is missing, unreadable or of another type, with the reason in {@code problems}). */
    private static Object usable(
            String name, Loaded l, Map.Entry<Class<?>, String> want, Map<String, String> problems) {
        if (l.problem() != null) {
            problems.put(name, l.problem());
            return null;
        }
        if (l.value() == null && l.what() == null) {
            return null;
        }
        if (l.value() != null && want.getKey().isInstance(l.value())) {
            return l.value();
        }
        problems.put(name, "`" + name + "` is " + l.what() + ", not " + want.getValue() + ".");
        return null;
    }

    /**
     * Puts the reason an object could not be used into the feedback of the items it failed: in place of the
     * checks' "`name` is null" hint, or else before the hint of each failed item (the first item if none
     * failed). Points stay as the checks computed them.
     */
    static StepResult explain(StepResult r, Map<String, String> problems) {
        if (problems.isEmpty()) {
            return r;
        }
        Set<String> told = new LinkedHashSet<>();
        List<CheckItem> items = new ArrayList<>(r.items());
        boolean[] replaced = new boolean[items.size()];
        for (int i = 0; i < items.size(); i++) {
            CheckItem item = items.get(i);
            if (item.passed()) {
                continue;
            }
            for (Map.Entry<String, String> p : problems.entrySet()) {
                if (item.feedback().startsWith("`" + p.getKey() + "` is null")) {
                    items.set(i, new CheckItem(item.name(), item.points(), item.maxPoints(), p.getValue()));
                    told.add(p.getKey());
                    replaced[i] = true;
                    break;
                }
            }
        }
        String rest = problems.entrySet().stream()
                .filter(p -> !told.contains(p.getKey()))
                .map(Map.Entry::getValue)
                .collect(Collectors.joining(" "));
        if (!rest.isEmpty()) {
            boolean any = false;
            for (int i = 0; i < items.size(); i++) {
                CheckItem item = items.get(i);
                if (!item.passed() && !replaced[i]) {
                    items.set(i, withPrefix(item, rest));
                    any = true;
                }
            }
            if (!any && !items.isEmpty() && !replaced[0]) {
                items.set(0, withPrefix(items.get(0), rest));
            }
        }
        return new StepResult(r.exercise(), r.step(), items);
    }

    private static CheckItem withPrefix(CheckItem item, String text) {
        return new CheckItem(item.name(), item.points(), item.maxPoints(), text + " (" + item.feedback() + ")");
    }

    // --- reading the files ---------------------------------------------------------------------

    /** Object {@code name} as handed over into {@code dir}; never throws. */
    static Loaded load(Path dir, String name) {
        String who = "`" + name + "`";
        try {
            Handover.checkName(name);
            List<Handover.Kind> kinds = new ArrayList<>();
            List<BasicFileAttributes> attributes = new ArrayList<>();
            for (Handover.Kind k : Handover.Kind.values()) {
                try {
                    attributes.add(Files.readAttributes(
                            dir.resolve(k.file(name)), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
                    kinds.add(k);
                } catch (NoSuchFileException absent) {
                    // not handed over as this kind
                }
            }
            if (kinds.isEmpty()) {
                return Loaded.ABSENT;
            }
            if (kinds.size() > 1) {
                return Loaded.problem(String.format(
                        "%s was handed over more than once (%s): it cannot be told which counts.",
                        who, kinds.stream().map(k -> k.file(name)).collect(Collectors.joining(", "))));
            }
            Handover.Kind kind = kinds.get(0);
            String file = kind.file(name);
            BasicFileAttributes a = attributes.get(0);
            if (!a.isRegularFile()) {
                return Loaded.problem(who + " could not be read: " + file + " is not a plain file.");
            }
            if (a.size() > MAX_FILE_BYTES) {
                return Loaded.problem(tooLarge(who, file, a.size()));
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(dir.resolve(file), LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                return Loaded.problem(tooLarge(who, file, bytes.length));
            }
            return switch (kind) {
                case MODEL -> new Loaded(readModel(bytes), "a MultiLayerNetwork", null);
                case TRAINER -> new Loaded(Handover.settingsFromJson(utf8(bytes)), "a Trainer", null);
                case TOKENIZER -> new Loaded(Tokenizer.fromJson(utf8(bytes)), "a Tokenizer", null);
                case LAYER -> {
                    Layer layer = readLayer(bytes);
                    yield new Loaded(
                            layer, "a layer configuration (" + layer.getClass().getSimpleName() + ")", null);
                }
                case NULL -> Loaded.ABSENT;
                case OTHER -> new Loaded(null, withArticle(typeName(bytes)), null);
            };
        } catch (Throwable e) {
            e.printStackTrace(); // standard error: the grader's log, for the instructor
            return Loaded.problem(who + " could not be read: " + reason(e) + ".");
        }
    }

    private static String tooLarge(String who, String file, long size) {
        return String.format(
                Locale.ROOT,
                "%s could not be read: %s is larger than %d MB (%.1f MB), the most a hand-over may take.",
                who,
                file,
                MAX_FILE_BYTES >> 20,
                size / (double) (1 << 20));
    }

    /** The network in a DL4J model file, built from its configuration and parameters only. */
    static MultiLayerNetwork readModel(byte[] zip) throws IOException {
        Map<String, byte[]> entries = unzip(zip);
        byte[] conf = entries.get(CONFIGURATION);
        if (conf == null) {
            throw new IllegalArgumentException("the file holds no " + CONFIGURATION + ": it is not a DL4J model file");
        }
        String json = utf8(conf);
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "its " + CONFIGURATION + " is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("its " + CONFIGURATION + " is not a JSON object");
        }
        if (tree.has("vertices") || tree.has("networkInputs")) {
            throw new IllegalArgumentException(
                    "it is a ComputationGraph's configuration, not a MultiLayerNetwork's: build the network with .list()");
        }
        if (!tree.has("confs")) {
            throw new IllegalArgumentException("its configuration is not a MultiLayerNetwork configuration");
        }
        MultiLayerConfiguration configuration = MultiLayerConfiguration.fromJson(json);
        long expected = 0;
        for (int i = 0; i < configuration.getConfs().size(); i++) {
            NeuralNetConfiguration c = configuration.getConf(i);
            if (c == null || c.getLayer() == null) {
                throw new IllegalArgumentException("layer " + (i + 1) + " of its configuration is empty");
            }
            long n = c.getLayer().initializer().numParams(c);
            if (n < 0) {
                throw new IllegalArgumentException("layer " + (i + 1) + " has a negative number of parameters");
            }
            expected = Math.addExact(expected, n);
            if (expected > MAX_PARAMS) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "the network has more than %,d parameters, the most a hand-over may hold",
                        MAX_PARAMS));
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(configuration);
        byte[] coefficients = entries.get(COEFFICIENTS);
        if (coefficients == null) {
            if (!entries.containsKey(NO_PARAMS)) {
                throw new IllegalArgumentException("the file holds no parameters (" + COEFFICIENTS + ")");
            }
            return net;
        }
        INDArray params = readParams(coefficients, expected);
        if (params == null) {
            if (expected == 0) {
                net.init();
            }
            return net; // handed over before init(), as the notebook had it
        }
        net.init(params.castTo(configuration.getDataType()), false);
        return net;
    }

    /** The entries of a model file that are read (each at most its limit once unpacked); others are left alone. */
    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, Long> limits =
                Map.of(CONFIGURATION, MAX_CONFIG_BYTES, COEFFICIENTS, MAX_FILE_BYTES + 4096, NO_PARAMS, 1024L);
        Path temp = Files.createTempFile("rnnlab-handover", ".zip");
        try {
            Files.write(temp, zip);
            Map<String, byte[]> out = new HashMap<>();
            try (ZipFile z = new ZipFile(temp.toFile())) {
                for (Map.Entry<String, Long> e : limits.entrySet()) {
                    ZipEntry entry = z.getEntry(e.getKey());
                    if (entry == null || entry.isDirectory()) {
                        continue;
                    }
                    try (InputStream in = z.getInputStream(entry)) {
                        byte[] b = in.readNBytes((int) (e.getValue() + 1));
                        if (b.length > e.getValue()) {
                            throw new IllegalArgumentException(String.format(
                                    Locale.ROOT,
                                    "its %s unpacks to more than %d MB",
                                    e.getKey(),
                                    Math.max(1, e.getValue() >> 20)));
                        }
                        out.put(e.getKey(), b);
                    }
                }
            }
            return out;
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException("it is not a readable zip file (" + e.getMessage() + ")");
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The parameters in a {@code coefficients.bin} (ND4J's format: the shape information, then the data), read
     * without trusting its shape: {@code expected} float or double values as a vector; null for an empty array.
     */
    static INDArray readParams(byte[] bytes, long expected) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            in.readUTF();
            long shapeLength = in.readLong();
            DataType shapeType = dataType(in.readUTF());
            if (shapeLength < 0 || shapeLength > 128 || (shapeType != DataType.LONG && shapeType != DataType.INT)) {
                throw new IllegalArgumentException(COEFFICIENTS + " is damaged (its shape information)");
            }
            in.skipNBytes(shapeLength * shapeType.width());
            in.readUTF();
            long length = in.readLong();
            DataType type = dataType(in.readUTF());
            if (length == 0) {
                return null;
            }
            if (length != expected) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "%s holds %,d parameters, its configuration needs %,d",
                        COEFFICIENTS,
                        Math.max(0, length),
                        expected));
            }
            if (type != DataType.FLOAT && type != DataType.DOUBLE) {
                throw new IllegalArgumentException("parameters of type " + type + " are not supported");
            }
            if (in.available() < length * type.width()) {
                throw new IllegalArgumentException(COEFFICIENTS + " is cut short");
            }
            int n = (int) length;
            if (type == DataType.FLOAT) {
                float[] values = new float[n];
                for (int i = 0; i < n; i++) {
                    values[i] = in.readFloat();
                }
                return Nd4j.createFromArray(values);
            }
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = in.readDouble();
            }
            return Nd4j.createFromArray(values);
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new IllegalArgumentException(COEFFICIENTS + " is damaged (it ends too early)");
        }
    }

    private static DataType dataType(String name) {
        try {
            return DataType.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(COEFFICIENTS + " names an unknown data type");
        }
    }

    /** A layer configuration in DL4J's own JSON. */
    static Layer readLayer(byte[] bytes) throws IOException {
        Layer layer = NeuralNetConfiguration.mapper().readValue(utf8(bytes), Layer.class);
        if (layer == null) {
            throw new IllegalArgumentException("the file holds no layer configuration");
        }
        return layer;
    }

    /** The simple name of the class a {@code .other} file names (a JShell class without its wrapper). */
    private static String typeName(byte[] bytes) {
        String s = utf8(bytes.length > 300 ? java.util.Arrays.copyOf(bytes, 300) : bytes)
                .strip();
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 0x80 || c == '.' || c == '$' || c == '_') {
                b.append(c);
            }
        }
        String name = b.toString();
        name = name.substring(name.lastIndexOf('.') + 1);
        name = name.substring(name.lastIndexOf('$') + 1);
        return name.isEmpty() ? null : name;
    }

    private static String withArticle(String type) {
        if (type == null) {
            return "an object of unknown type";
        }
        return ("AEIOU".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A short, one-line reason for a failure, for a hint. */
    static String reason(Throwable e) {
        String m;
        if (e instanceof StackOverflowError) {
            m = "it is nested too deeply";
        } else if (e instanceof OutOfMemoryError) {
            m = "it is too large to hold in memory";
        } else if (e instanceof JsonProcessingException j) {
            m = j.getOriginalMessage();
        } else {
            m = e.getMessage();
        }
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        StringBuilder b = new StringBuilder();
        for (char c : m.strip().toCharArray()) {
            if (c == '\n' || c == '\r') {
                break;
            }
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        String s = b.toString().strip();
        while (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.length() <= 160 ? s : s.substring(0, 160) + "…";
    }

    /** {@code json} with every character outside printable ASCII written as a JSON escape. */
    static String ascii(String json) {
        StringBuilder b = new StringBuilder(json.length());
        for (char c : json.toCharArray()) {
            if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return b.toString();
    }
}
